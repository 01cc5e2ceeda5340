"""A second, hand-made report on the same template: the extractor has nothing cycle-specific, and names
the reviewed mappings do not cover are refused or reported, never merged silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from wfh.cycles import extract_report, read_bundles
from wfh.errors import InputError
from wfh.settings import paths

TITLE = "Make widgets greener with digital twins"

REPORT = f"""
Workforce
Foresighting
Hub

{TITLE}

Authors:

Cycle Sponsor:\tWidget Council
Centre of Innovation:\tManufacturing Technology Centre

Acknowledgements

This report was produced following workshops undertaken between March 2027 and May 2027 using the data.

Executive Summary

This report outlines findings from the cycle focussing on the title: {TITLE}. This industry challenge was \
sponsored by Widget Council and study conducted by Manufacturing Technology Centre in collaboration with the Hub.

Technology Participants\tEducator Participants
Widget Works\tWidget College
Sensor Ltd\t

Table 1: Participants and stakeholders

Figures and Tables

Table 1: Participants and stakeholders\t4
Table 2: Associated FOPs and proficiency levels for capability 1\t9
Table 3: Associated FOPs and proficiency levels for capability 2\t9

2.1 Industry - Identified Organisational Capabilities

During the data gathering, **5 unique future organisational capabilities** were identified. Most of the \
capabilities followed 2 themes, listed below.

1. **Digital twins:** Build digital twins of every widget line.
2. **Green widgets:** Cut widget waste and energy.

2.1.1 Highlighted capabilities

Capability 1:

Build a digital twin of the widget line.

Reason to Highlight: Twins are new to widget makers.

Associated FOPs:

FOP title\tProficiency
Twin Engineer\t3
Line Operator\t1

FOP title\tProficiency
Widget Planner\t2

Table 2: Associated FOPs and proficiency levels for capability 1

Supported by current provisions: none

Capability 2: Reduce widget scrap with in-line sensing.

Reason to Highlight:

Scrap is costly and

sensing is new.

Associated FOPs:

FOP\tProficiency
Line Operator\t2
Quality Lead\t3

Table 3: Associated FOPs and proficiency levels for capability 2

Supported by current provisions: none

2.1.2 Future Supply Chain

Supply chain partner\tDescription
Widget Makers\tThey make widgets.
Sensor Suppliers\tThey supply sensors.

Table 4: Supply chain partner descriptions

2.1.3 Capabilities not served

Out of the 5 future capabilities identified, 3 are not currently well matched with any duty statements.

2.2.2 Role Levels

Role Levels selected for this cycle are:

- 1. Leadership**
Leads the widget teams.
- 2. Delivery**
Delivers widgets.

2.2.4 Priority FOPs

FOP Name\tDescription
Twin Engineer\tBuilds twins and keeps them

FOP Name\tDescription
\tin step with the line.
Quality Lead\tOwns widget quality.

Table 5: Priority FOPs

2.3.3 Most frequent tags

Tag\tTag Frequency
Digital Twins\t7
Sensing\t5

Table 6: Most frequent Knowledge Tags

Tag\tTag Frequency
Model a widget line\t4

Table 7: Most frequent Skills Tags

Appendix A - Capabilities without identified provisions

Table Key: Supply chain partners

1. Widget Makers
2. Sensor Suppliers

Capability statement\t1\t2
Reduce widget scrap with in-line sensing\t✓\t✓
Train operators on digital twins.\t\t✓

¹ A footnote between the two page parts

Capability statement\t1\t2
Share twin data with suppliers.\t✓\t

Table 8: Capabilities without identified provisions
"""


def write_report(folder: Path, text: str = REPORT) -> Path:
    path = folder / "widgets-report.txt"
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


def test_a_second_report_on_the_template_parses(tmp_path):
    bundle = extract_report(write_report(tmp_path), tmp_path / "widgets", "widgets-2027")
    t = read_bundles([bundle])
    cycle = t["cycles"].row(0, named=True)
    assert (cycle["title"], cycle["sponsor"], cycle["centre_of_innovation"]) == (
        TITLE,
        "Widget Council",
        "Manufacturing Technology Centre",
    )
    assert str(cycle["workshop_start"]) == "2027-03-01" and str(cycle["workshop_end"]) == "2027-05-31"
    caps = t["capabilities"]
    assert caps.height == 4  # 2 highlighted + 3 in Appendix A, one of them (capability 2) in both
    cap2 = caps.filter(pl.col("highlight_number") == 2).row(0, named=True)
    assert cap2["in_appendix_a"] and cap2["reason_to_highlight"] == "Scrap is costly and sensing is new."
    prof = t["fop_capability_proficiency"].join(t["fops"], on=["cycle_id", "fop_id"])
    assert sorted(zip(prof["name"], prof["proficiency"], strict=False)) == [
        ("Line Operator", 1),
        ("Line Operator", 2),
        ("Quality Lead", 3),
        ("Twin Engineer", 3),
        ("Widget Planner", 2),
    ]
    fops = t["fops"]
    assert sorted(fops.filter("is_priority")["name"]) == ["Quality Lead", "Twin Engineer"]
    assert (
        fops.filter(pl.col("name") == "Twin Engineer")["description"][0]
        == "Builds twins and keeps them in step with the line."
    )
    links = t["capability_partners"].join(t["supply_chain_partners"], on=["cycle_id", "partner_id"])
    assert links.height == 4 and sorted(
        links.filter(pl.col("capability_id") == cap2["capability_id"])["partner_number"]
    ) == [1, 2]
    assert t["themes"]["name"].to_list() == ["Digital twins", "Green widgets"]
    assert t["role_levels"]["name"].to_list() == ["Leadership", "Delivery"]
    assert t["tag_frequencies"].height == 3
    assert t["participants"].height == 3 and set(t["participants"]["category"]) == {"technology", "educator"}
    findings = set(t["findings"]["finding_id"])
    assert "capabilities-listed-vs-stated" in findings and "unmatched-count-vs-appendix-a" in findings
    assert "stated-capability-counts" not in findings  # this report states one number only
    assert "appendix-a-key-repeated-partner" not in findings  # the first report's mapping is not applied here
    assert "fop-name-variants" not in findings
    assert "table-list-mismatch" in findings  # Tables 4-8 are missing from this report's list of tables


def test_an_unreviewed_case_variant_of_a_fop_name_stops_the_extractor(tmp_path):
    report = write_report(tmp_path, REPORT.replace("Line Operator\t2", "Line operator\t2"))
    with pytest.raises(InputError) as caught:
        extract_report(report, tmp_path / "out", "widgets-2027")
    message = str(caught.value)
    assert "widgets-report.txt" in message and "'Line operator'" in message and "fop_name_aliases.csv" in message


def test_a_similar_fop_name_is_reported_not_merged(tmp_path):
    report = write_report(tmp_path, REPORT.replace("Quality Lead\t3", "Quality Leads\t3"))
    t = read_bundles([extract_report(report, tmp_path / "out", "widgets-2027")])
    assert {"Quality Lead", "Quality Leads"} <= set(t["fops"]["name"])
    finding = t["findings"].filter(pl.col("finding_id").str.starts_with("possible-fop-variant-"))
    assert finding.height == 1 and finding["severity"][0] == "warning"


def test_an_ambiguous_appendix_key_needs_a_reviewed_mapping(tmp_path):
    ambiguous = REPORT.replace("2. Sensor Suppliers", "2. Widget Makers")
    report = write_report(tmp_path, ambiguous)
    with pytest.raises(InputError) as caught:
        extract_report(report, tmp_path / "out", "widgets-2027")
    assert "appendix_partner_columns.csv" in str(caught.value) and "Widget Makers" in str(caught.value)

    mappings = tmp_path / "mappings"
    shutil.copytree(paths().cycles / "_mappings", mappings)
    with (mappings / "appendix_partner_columns.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{TITLE},2,Widget Makers,Sensor Suppliers,Key repeats Widget Makers; Table 4 says sensors\n")
    t = read_bundles([extract_report(report, tmp_path / "out", "widgets-2027", mappings_dir=mappings)])
    finding = t["findings"].filter(pl.col("finding_id") == "appendix-a-key-repeated-partner").row(0, named=True)
    assert finding["severity"] == "warning" and "Sensor Suppliers" in finding["detail"]
    assert t["capability_partners"]["partner_id"].value_counts().sort("partner_id").rows() == [
        ("sensor-suppliers", 2),
        ("widget-makers", 2),
    ]
