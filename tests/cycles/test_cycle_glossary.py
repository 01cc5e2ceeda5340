"""The optional glossary table: extracted from the report's Table 2, optional in a bundle."""

from __future__ import annotations

import pytest
from test_cycle_bundles import make_bundle  # the hand-made minimal bundle (same folder)

from wfh.cycles import read_bundles
from wfh.errors import InputError


@pytest.fixture(scope="module")
def t(extracted_bundle):
    return read_bundles([extracted_bundle])


def test_report_glossary_is_extracted_from_table_2(t):
    glossary = t["glossary"]
    assert glossary.height == 26
    assert set(glossary["provenance"].to_list()) == {"Table 2"}
    rows = dict(zip(glossary["term"].to_list(), glossary["definition"].to_list(), strict=False))
    assert rows["CPD"] == "Continued Professional Development"
    assert rows["Workshops"] == "Online sessions used to undertake each step in the foresight process"
    assert rows["Map and Gap Analysis"].startswith("A combined expert and automated process")


def test_bundle_without_glossary_reads_with_an_empty_glossary(tmp_path):
    tables = read_bundles([make_bundle(tmp_path / "demo")])
    assert tables["glossary"].height == 0
    assert tables["glossary"].columns == ["cycle_id", "term", "definition", "provenance"]


def test_bundle_glossary_is_read_and_validated(tmp_path):
    good = "term,definition,provenance\nQP,Qualified Person,Demo glossary\nCPD,Continuing development,Demo\n"
    tables = read_bundles([make_bundle(tmp_path / "ok", {"glossary.csv": good})])
    assert tables["glossary"]["term"].to_list() == ["QP", "CPD"]
    assert tables["glossary"]["cycle_id"].unique().to_list() == ["demo-cycle"]
    duplicate = good + "QP,Quality Plan,Demo\n"
    with pytest.raises(InputError) as caught:
        read_bundles([make_bundle(tmp_path / "dup", {"glossary.csv": duplicate})])
    assert "glossary.csv" in str(caught.value) and "duplicate term" in str(caught.value)
