"""Skills England standards on the real data (landed once per session) and the prose clean-up."""

from __future__ import annotations

import polars as pl
import pytest

from wfh.ingest.skills_england import plain_text

SOURCE = "skills_england"


@pytest.fixture(scope="module")
def standards(read_landed):
    return read_landed(SOURCE, "standards")


def test_counts_match_the_readme(read_landed, standards):
    assert standards.height == 2170
    assert standards["reference_number"].n_unique() == 929
    assert read_landed(SOURCE, "duties").height == 17149
    ksb = read_landed(SOURCE, "ksb_items")
    assert dict(ksb.group_by("ksb_type").len().iter_rows()) == {"knowledge": 47789, "skill": 46104, "behaviour": 11997}
    assert standards["in_recent_api"].sum() == 2033


def test_latest_approved_version_agrees_with_the_publisher_manifest(mirror, standards):
    flags = standards.filter("is_latest_approved_version")
    assert flags.height == 713 and flags["reference_number"].n_unique() == 713
    manifest = pl.read_csv(mirror / "skills_england" / "manifest.csv", infer_schema=False)
    expected = manifest.filter(pl.col("file").str.starts_with("ST"), pl.col("is_latest_approved_version") == "True")[
        "index_in_file"
    ]
    assert sorted(flags["record_index"].to_list()) == sorted(int(i) for i in expected)
    # ST0127 has v1.4 and v1.5 approved at once: the higher one is flagged.
    st0127 = flags.filter(pl.col("reference_number") == "ST0127")
    assert st0127["version"].to_list() == ["1.5"]


def test_keys_are_unique_and_trimmed(standards):
    assert not standards.select(pl.struct("reference_number", "version").is_duplicated().any()).item()
    assert (standards["reference_number"] == standards["reference_number"].str.strip_chars()).all()
    # an empty API version is the publisher's 1.0 (its file name), never a clash with a 0.0 record
    assert standards.filter(pl.col("version_number") == "", pl.col("version") == "").is_empty()


def test_st0473_has_no_duties_but_a_plain_text_summary(read_landed, standards):
    st0473 = standards.filter(pl.col("reference_number") == "ST0473")
    assert "Science industry process and plant engineer (degree)" in st0473["title"].to_list()
    duties = read_landed(SOURCE, "duties").filter(pl.col("reference_number") == "ST0473")
    assert duties.is_empty()
    summary = st0473.filter(pl.col("version") == "1.1")["occupational_summary"][0]
    assert "implement and develop new processes or plant and to support product development" in summary
    assert "&lt;" not in summary and "<p>" not in summary and "&amp;" not in summary
    assert "scientific & engineering team" in summary  # escaped twice in the source: &amp;amp;


def test_st1406_has_18_numbered_duties_with_linked_ksbs(read_landed, standards):
    approved = standards.filter(pl.col("reference_number") == "ST1406", "is_latest_approved_version")
    key = approved.select("reference_number", "version")
    assert key.height == 1
    duties = read_landed(SOURCE, "duties").join(key, on=["reference_number", "version"])
    assert duties.height == 18
    assert sorted(duties["duty_number"].to_list()) == list(range(1, 19))
    links = read_landed(SOURCE, "duty_ksb_links").join(
        duties.select("reference_number", "version", "duty_id"), on=["reference_number", "version", "duty_id"]
    )
    assert links.height > 0 and links["ksb_code"].null_count() == 0
    assert set(links["ksb_type"]) == {"knowledge", "skill", "behaviour"}


def test_ksb_codes_follow_list_order(read_landed):
    items = (
        read_landed(SOURCE, "ksb_items")
        .filter(pl.col("reference_number") == "ST1406", pl.col("version") == "1.0", pl.col("ksb_type") == "knowledge")
        .sort("position")
    )
    assert items["ksb_code"].head(3).to_list() == ["K1", "K2", "K3"]
    assert items["detail"][0].startswith("Science process manufacturing sector awareness")
    assert (items["ksb_code"] == "K" + items["position"].cast(pl.String)).all()


def test_links_to_unknown_ksb_ids_are_kept_with_a_null_code(read_landed):
    links = read_landed(SOURCE, "duty_ksb_links")
    assert links.height == 299006
    assert links["ksb_code"].null_count() == 6


def test_typed_columns(standards):
    schema = standards.schema
    assert schema["level"] == pl.Int64
    assert schema["approved_for_delivery"] == pl.Date
    assert schema["created_date"] == pl.Datetime("us", "UTC")
    assert schema["typical_job_titles"] == pl.List(pl.String)
    assert schema["_loaded_at"] == pl.Datetime("us", "UTC")
    approved = standards.filter(pl.col("status") == "Approved for delivery")
    assert approved["approved_for_delivery"].null_count() == 0


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("&lt;p&gt;One &amp;amp; two&lt;/p&gt;&lt;p&gt;Three&lt;/p&gt;", "One & two\nThree"),
        ("&amp;lt;li&amp;gt;Twice&amp;lt;/li&amp;gt;", "Twice"),
        ("<h3><strong>Level </strong></h3>\n<p>3</p>", "Level\n3"),
        ("a\u00a0 b\t\tc", "a b c"),
        ("fewer than 5 &lt; 6 items", "fewer than 5 < 6 items"),
        ("", ""),
        (None, None),
    ],
)
def test_plain_text(raw, expected):
    assert plain_text(raw) == expected
