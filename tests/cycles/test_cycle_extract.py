"""The first cycle extracted from the real report (../shared/seed/foresighting-report.txt)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from wfh.cycles import BUNDLE_TABLES, extract_report, read_bundles
from wfh.cycles.mappings import capability_id
from wfh.cycles.report_text import ReportText

CYCLE = "poc-atmp"  # the id conftest.extracted_bundle uses

# Rows of each highlighted capability's FOP table (Tables 3-21), counted by eye in the report.
FOPS_PER_CAPABILITY = {
    1: 8,
    2: 4,
    3: 5,
    4: 7,
    5: 5,
    6: 10,
    7: 2,
    8: 14,
    9: 7,
    10: 6,
    11: 3,
    12: 3,
    13: 9,
    14: 3,
    15: 1,
    16: 4,
    17: 5,
    18: 2,
    19: 4,
}


@pytest.fixture(scope="module")
def bundle(extracted_bundle) -> Path:
    return extracted_bundle


@pytest.fixture(scope="module")
def t(bundle) -> dict[str, pl.DataFrame]:
    return read_bundles([bundle])


def _capability(t, number: int) -> dict:
    return t["capabilities"].filter(pl.col("highlight_number") == number).row(0, named=True)


def _fops_of(t, number: int) -> dict[str, int]:
    cap = _capability(t, number)["capability_id"]
    rows = (
        t["fop_capability_proficiency"]
        .filter(pl.col("capability_id") == cap)
        .join(t["fops"].select("fop_id", "name"), on="fop_id")
    )
    return dict(zip(rows["name"], rows["proficiency"], strict=False))


def test_bundle_has_every_contract_table_with_cycle_id_and_provenance(bundle, t):
    assert (bundle / "cycle.yml").exists()
    assert set(t) == set(BUNDLE_TABLES)
    for name, frame in t.items():
        assert frame.columns[0] == "cycle_id", name
        assert frame["cycle_id"].unique().to_list() == [CYCLE], name
        if name != "cycles":
            assert frame["provenance"].null_count() == 0 and (frame["provenance"].str.len_chars() > 0).all(), name


def test_cycle_metadata_comes_from_the_report_text(t):
    cycle = t["cycles"].row(0, named=True)
    assert cycle["title"] == (
        "Increase the application of advanced therapeutics by adopting modular and point of care manufacturing"
    )
    assert cycle["sponsor"] == "The Advanced Therapy Treatment Centre (ATTC) network"
    assert cycle["centre_of_innovation"] == "Cell and Gene Therapy Catapult"
    assert (cycle["workshop_start"], cycle["workshop_end"]) == (dt.date(2025, 11, 1), dt.date(2026, 2, 28))
    assert cycle["report_date"] is None
    assert cycle["source_document"] == "foresighting-report.txt"


def test_capability_counts(t):
    caps = t["capabilities"]
    highlighted = caps.filter(pl.col("highlight_number").is_not_null())
    assert sorted(highlighted["highlight_number"].to_list()) == list(range(1, 20))
    assert highlighted["reason_to_highlight"].null_count() == 0
    assert caps["in_appendix_a"].sum() == 40  # every row of Table 26 (18 + 22 over two page parts)
    assert highlighted["in_appendix_a"].sum() == 5  # capabilities 1, 16, 17, 18, 19 are also in Appendix A
    assert caps.height == 19 + 40 - 5
    assert caps["capability_id"].is_unique().all()
    assert (caps["statement"].str.len_chars() > 20).all()


def test_capability_ids_come_from_the_statement_not_the_row():
    a = "Embed point of care manufacturing governance and processes into routine hospital care."
    assert capability_id(a) == capability_id(a.rstrip(".").upper())
    assert capability_id(a) != capability_id("Embed point of care manufacturing governance.")


def test_proficiency_rows_of_tables_3_to_21(t):
    prof = t["fop_capability_proficiency"]
    assert prof.height == sum(FOPS_PER_CAPABILITY.values()) == 102
    for number, count in FOPS_PER_CAPABILITY.items():
        assert len(_fops_of(t, number)) == count, number
    assert prof["proficiency"].is_between(1, 3).all()
    assert set(prof["provenance"].str.extract(r"^(Table \d+)").unique()) == {f"Table {n}" for n in range(3, 22)}


def test_capability_1_8_and_9(t):
    cap1 = _fops_of(t, 1)
    assert cap1["Chief Pharmacist"] == 3 and len(cap1) == 8
    assert len(_fops_of(t, 8)) == 14
    assert _fops_of(t, 9) == {
        "Clinical Pharmacist (ATMP/Oncology)": 2,
        "Nurse / Research Nurse": 2,
        "Pharmacy Aseptic Services Manager (ATMP)": 2,
        "Cell Therapy Laboratory Operatives": 2,
        "Application Specialist": 2,
        "Technical Support Specialist": 2,
        "Validation/Manufacturing Operative": 3,
    }


def test_split_fop_tables_keep_both_parts(t):
    assert _fops_of(t, 4)["Clinical and Sponsor Liaison"] == 2  # second part of Table 6
    assert _fops_of(t, 13)["Supply Chain and Cold Chain Lead"] == 2  # second part of Table 15
    assert _fops_of(t, 7) == {"Process Development Support Specialist": 3, "Head of Production": 3}  # 'FOP title'


def test_priority_fops_and_other_fops(t):
    fops = t["fops"]
    priority = fops.filter("is_priority")
    # Table 23 has 20 rows over three page parts; the 21st line is the wrapped R&D/R&I Manager description.
    assert priority.height == 20
    assert priority["description"].null_count() == 0
    others = fops.filter(~pl.col("is_priority"))
    assert others["description"].null_count() == others.height
    assert fops["role_level_id"].null_count() == fops.height
    named = set(t["fop_capability_proficiency"].join(fops, on="fop_id")["name"])
    assert set(others["name"]) <= named and "Automation Digitalisation Specialist" not in named
    assert fops.height == 33 and fops["fop_id"].is_unique().all()


def test_fop_name_variants_resolve_to_one_fop(t):
    names = set(t["fops"]["name"])
    for variant in (
        "Project manager",
        "Technical Support specialist",
        "Process development support specialist",
        "Cell Therapy Laboratory operatives",
        "FOP title",
        "FOP",
    ):
        assert variant not in names
    assert _fops_of(t, 4)["Project Manager"] == 1  # written 'Project manager' in Table 6
    assert _fops_of(t, 15) == {"Process Development Support Specialist": 3}  # written in lower case
    fop = t["fops"].filter(pl.col("fop_id") == "cell-therapy-laboratory-operatives").row(0, named=True)
    assert fop["is_priority"] and fop["description"].startswith("Operates GMP-compliant processes")


def test_rd_ri_manager_description_joined_across_the_page_break(t):
    fop = t["fops"].filter(pl.col("name") == "R&D/R&I Manager").row(0, named=True)
    assert fop["fop_id"] == "r-and-d-r-and-i-manager"
    assert "liaising between hub and local services so all activities" in fop["description"]
    assert fop["description"].endswith("will be done safely and compliantly.")


def test_themes_partners_role_levels(t):
    themes = t["themes"].sort("theme_id")
    assert themes["theme_id"].to_list() == list(range(1, 12))
    assert themes["name"][0] == "Modular plug-and-play PoC architecture"
    assert themes["name"][10] == "Standardised data models & interfaces"
    assert (themes["description"].str.len_chars() > 50).all() and "**" not in "".join(themes["name"])
    partners = t["supply_chain_partners"].sort("partner_number")
    assert partners["name"].to_list() == [
        "Equipment, Data integration & Automation Providers",
        "Logistics & Supply Chain",
        "NHS workforce",
        "Control sites (hubs/ advance therapy developer)",
    ]
    assert (partners["description"].str.len_chars() > 100).all()
    levels = t["role_levels"].sort("role_level_id")
    assert levels["name"].to_list() == [
        "Strategic & Operational Management",
        "Operational Leadership",
        "Professional & Delivery",
    ]


def test_appendix_a_ticks(t):
    def partners_of(statement_start: str) -> list[int]:
        cap = t["capabilities"].filter(pl.col("statement").str.starts_with(statement_start))
        assert cap.height == 1
        rows = (
            t["capability_partners"]
            .filter(pl.col("capability_id") == cap["capability_id"][0])
            .join(t["supply_chain_partners"], on="partner_id")
        )
        return sorted(rows["partner_number"])

    assert partners_of("Ensure cold chain capacity") == [1, 3, 4]
    assert partners_of("Develop contingency planning protocols") == [1, 2, 3, 4]
    assert partners_of("Coordinate shared-use logistics hubs") == [3]
    assert partners_of("Embed point of care manufacturing governance") == [4]
    assert t["capability_partners"].height == 71  # every tick of Table 26
    highlighted_only = t["capabilities"].filter(~pl.col("in_appendix_a"))["capability_id"]
    assert not t["capability_partners"]["capability_id"].is_in(highlighted_only.implode()).any()


def test_one_capability_per_statement_up_to_punctuation(t):
    caps = t["capabilities"]
    embed = caps.filter(pl.col("statement").str.starts_with("Embed point of care"))
    assert embed.height == 1 and embed["highlight_number"][0] == 17 and embed["in_appendix_a"][0]
    inspection = caps.filter(pl.col("statement").str.starts_with("Design a self-inspection program")).sort(
        "highlight_number", nulls_last=True
    )
    assert inspection.height == 2
    assert inspection["highlight_number"].to_list() == [16, None]
    assert inspection["in_appendix_a"].to_list() == [True, True]


def test_tags_and_participants(t):
    tags = t["tag_frequencies"]
    knowledge = tags.filter(pl.col("tag_type") == "knowledge").sort("rank")
    skills = tags.filter(pl.col("tag_type") == "skill").sort("rank")
    assert knowledge.height == 27 and skills.height == 10
    assert (knowledge["tag"][0], knowledge["frequency"][0]) == ("Life Cycle Assessment", 15)
    assert (skills["tag"][0], skills["frequency"][0]) == ("Perform Data Analysis", 20)
    assert set(tags["provenance"]) == {"Table 24", "Table 25"}
    people = t["participants"]
    assert people.group_by("category").len().sort("category").rows() == [
        ("industry", 8),
        ("skills", 8),
        ("technology", 12),
    ]
    assert "Cytiva" in people.filter(pl.col("category") == "technology")["organisation"].to_list()


def test_list_of_tables_lines_are_not_captions_or_rows(report_path):
    report = ReportText.read(report_path)
    body = report.captions()
    assert [n for _, n, _ in body] == list(range(1, 28))
    assert len(report.listed_captions()) == 27
    participants = report.table_above(next(line for line, n, _ in body if n == 1))
    assert all(not row.cells[0].startswith("Table ") for row in participants.rows)


def test_findings_record_the_reports_inconsistencies(t):
    findings = {row["finding_id"]: row for row in t["findings"].iter_rows(named=True)}
    stated = findings["stated-capability-counts"]
    assert stated["severity"] == "warning" and "78" in stated["finding"] and "80" in stated["finding"]
    assert "54" in findings["capabilities-listed-vs-stated"]["finding"]
    key = findings["appendix-a-key-repeated-partner"]
    assert key["severity"] == "warning" and "NHS workforce" in key["detail"]
    tags = findings["tag-frequencies-off-topic"]
    assert tags["severity"] == "warning"
    assert "Sustainability" in tags["detail"] and "Solvent Recovery Techniques" in tags["detail"]
    assert "Perform Data Analysis" not in tags["detail"]
    unmatched = findings["unmatched-count-vs-appendix-a"]
    assert "40 of 80" in unmatched["finding"] and "lists 40 rows" in unmatched["finding"]
    assert "649" in findings["standards-considered"]["finding"]
    assert "3, 5, 6" in findings["highlighted-without-provision-line"]["finding"]
    assert "Project manager" in findings["fop-name-variants"]["detail"]
    assert "Capability 17" in findings["capability-text-variants"]["detail"]
    similar = [f for i, f in findings.items() if i.startswith("similar-capabilities-")]
    assert len(similar) == 2 and all("Reviewed as distinct" in f["detail"] for f in similar)
    assert set(t["findings"]["severity"]) == {"warning", "info"}


def test_tables_have_exactly_the_columns_of_the_landing_contract(t):
    from wfh.contracts import contract

    wanted = contract("cycles").tables
    assert set(wanted) == set(BUNDLE_TABLES)
    for name, table in wanted.items():
        assert t[name].columns == table.column_names, name


def test_re_extraction_is_byte_identical(tmp_path, report_path, bundle):
    again = extract_report(report_path, tmp_path / "again", CYCLE)
    files = sorted(p.name for p in bundle.iterdir())
    assert files == sorted(p.name for p in again.iterdir()) and len(files) == 12  # cycle.yml + 11 CSVs (glossary too)
    assert all((bundle / f).read_bytes() == (again / f).read_bytes() for f in files)
