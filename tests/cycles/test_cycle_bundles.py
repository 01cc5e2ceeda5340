"""Bundle validation with small hand-made bundles, and several bundles read together."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from wfh.cycles import find_bundle_dirs, read_bundles
from wfh.errors import InputError

MINIMAL = {
    "cycle.yml": "id: demo-cycle\ntitle: A hand-made demo cycle\nsponsor: Demo sponsor\n"
    "centre_of_innovation: Demo centre\nworkshop_start: 2026-03-01\nworkshop_end: 2026-04-30\n"
    "report_date: null\nsource_document: hand-made\n",
    "capabilities.csv": "capability_id,statement,highlight_number,reason_to_highlight,in_appendix_a,provenance\n"
    "cap-a,Operate a demo line safely.,1,Because it matters,false,Demo section 1\n"
    "cap-b,Maintain demo records.,,,true,Demo appendix\n",
    "themes.csv": "theme_id,name,description,provenance\n1,Demo theme,A theme for the demo,Demo list\n",
    "supply_chain_partners.csv": "partner_id,partner_number,name,description,provenance\n"
    "demo-partner,1,Demo partner,Makes demos,Demo table\n",
    "capability_partners.csv": "capability_id,partner_id,provenance\ncap-b,demo-partner,Demo appendix\n",
    "fops.csv": "fop_id,name,description,is_priority,role_level_id,provenance\n"
    "demo-operator,Demo Operator,Runs the demo line,true,1,Demo table\n"
    "demo-clerk,Demo Clerk,,false,,Demo table\n",
    "fop_capability_proficiency.csv": "fop_id,capability_id,proficiency,provenance\n"
    "demo-operator,cap-a,3,Demo table\n"
    "demo-clerk,cap-b,2,Demo table\n",
    "role_levels.csv": "role_level_id,name,description,provenance\n1,Demo level,Does demos,Demo section\n",
    "tag_frequencies.csv": "tag_type,rank,tag,frequency,provenance\nknowledge,1,Demo knowledge,4,Demo tags\n",
    "participants.csv": "category,organisation,provenance\ntechnology,Demo Ltd,Demo table\n",
    "findings.csv": "finding_id,severity,finding,detail,provenance\n",
}


def make_bundle(folder: Path, changes: dict[str, str | None] | None = None) -> Path:
    """A valid minimal bundle; ``changes`` replaces (or, with None, removes) files by name."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {**MINIMAL, **(changes or {})}
    for name, text in files.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def _replace(name: str, old: str, new: str) -> dict[str, str]:
    assert old in MINIMAL[name]
    return {name: MINIMAL[name].replace(old, new)}


def _error(folder: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_bundles([folder])
    return str(caught.value)


def test_minimal_bundle_reads_with_contract_types(tmp_path):
    t = read_bundles([make_bundle(tmp_path / "demo")])
    assert t["capabilities"].schema["highlight_number"] == pl.Int64
    assert t["capabilities"].schema["in_appendix_a"] == pl.Boolean
    assert t["cycles"].schema["workshop_start"] == pl.Date
    assert t["capabilities"]["highlight_number"].to_list() == [1, None]
    assert t["fops"].filter(pl.col("fop_id") == "demo-clerk")["description"].to_list() == [None]
    assert t["findings"].height == 0 and t["findings"].columns[0] == "cycle_id"


def test_second_cycle_reads_alongside_the_extracted_one(tmp_path, extracted_bundle):
    t = read_bundles([extracted_bundle, make_bundle(tmp_path / "demo")])
    assert sorted(t["cycles"]["cycle_id"]) == ["demo-cycle", "poc-atmp"]
    per_cycle = dict(t["capabilities"].group_by("cycle_id").len().rows())
    assert per_cycle == {"poc-atmp": 54, "demo-cycle": 2}
    demo = t["fop_capability_proficiency"].filter(pl.col("cycle_id") == "demo-cycle")
    assert demo.join(t["fops"], on=["cycle_id", "fop_id"]).height == 2


def test_missing_column(tmp_path):
    message = _error(make_bundle(tmp_path / "b", _replace("capabilities.csv", "statement,", "")))
    assert "capabilities.csv" in message and "row 1" in message and "'statement'" in message


def test_proficiency_outside_1_to_3(tmp_path):
    message = _error(
        make_bundle(
            tmp_path / "b", _replace("fop_capability_proficiency.csv", "demo-clerk,cap-b,2", "demo-clerk,cap-b,4")
        )
    )
    assert "fop_capability_proficiency.csv" in message and "row 3" in message and "'4'" in message
    assert "outside 1..3" in message


def test_proficiency_row_naming_an_unknown_capability(tmp_path):
    message = _error(
        make_bundle(
            tmp_path / "b",
            _replace("fop_capability_proficiency.csv", "demo-operator,cap-a,3", "demo-operator,cap-zz,3"),
        )
    )
    assert "fop_capability_proficiency.csv" in message and "row 2" in message and "'cap-zz'" in message
    assert "capabilities.csv" in message


def test_proficiency_row_naming_an_unknown_fop(tmp_path):
    message = _error(
        make_bundle(
            tmp_path / "b", _replace("fop_capability_proficiency.csv", "demo-clerk,cap-b,2", "demo-nobody,cap-b,2")
        )
    )
    assert "fop_capability_proficiency.csv" in message and "row 3" in message and "'demo-nobody'" in message


def test_duplicate_id(tmp_path):
    message = _error(make_bundle(tmp_path / "b", _replace("capabilities.csv", "cap-b,Maintain", "cap-a,Maintain")))
    assert "capabilities.csv" in message and "row 3" in message and "'cap-a'" in message
    assert "duplicate capability_id" in message and "row 2" in message


def test_empty_statement(tmp_path):
    message = _error(make_bundle(tmp_path / "b", _replace("capabilities.csv", "Maintain demo records.", " ")))
    assert "capabilities.csv" in message and "row 3" in message and "field statement" in message
    assert "empty statement" in message


def test_missing_file_and_bad_values(tmp_path):
    message = _error(make_bundle(tmp_path / "a", {"themes.csv": None}))
    assert "themes.csv" in message and "missing bundle file" in message
    message = _error(make_bundle(tmp_path / "b", _replace("fops.csv", "true,1", "yes,1")))
    assert "fops.csv" in message and "row 2" in message and "'yes'" in message
    message = _error(
        make_bundle(tmp_path / "c", _replace("findings.csv", "provenance\n", "provenance\nf1,error,Bad,,Somewhere\n"))
    )
    assert "findings.csv" in message and "row 2" in message and "'error'" in message
    message = _error(make_bundle(tmp_path / "d", _replace("fops.csv", "true,1,Demo", "true,7,Demo")))
    assert "fops.csv" in message and "role_levels.csv" in message and "7" in message


def test_two_bundles_with_one_cycle_id(tmp_path):
    first, second = make_bundle(tmp_path / "one"), make_bundle(tmp_path / "two")
    with pytest.raises(InputError, match="cycle id also used"):
        read_bundles([first, second])


def test_find_bundle_dirs(tmp_path, monkeypatch):
    home = tmp_path / "home"
    make_bundle(home / "raw" / "cycles" / "checked-in")
    (home / "raw" / "cycles" / "_mappings").mkdir()
    extra = tmp_path / "extra"
    make_bundle(extra / "one")
    single = make_bundle(tmp_path / "single")
    monkeypatch.setenv("WFH_HOME", str(home))
    monkeypatch.setenv("WFH_CYCLE_DIRS", f"{extra}:{single}")
    assert [p.name for p in find_bundle_dirs()] == ["checked-in", "one", "single"]


def test_no_bundles_gives_empty_contract_tables():
    t = read_bundles([])
    assert t["fops"].columns == [
        "cycle_id",
        "fop_id",
        "name",
        "description",
        "is_priority",
        "role_level_id",
        "provenance",
    ]
    assert all(frame.height == 0 for frame in t.values())
