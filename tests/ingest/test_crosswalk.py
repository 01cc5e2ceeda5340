"""The ESCO -> O*NET-SOC crosswalk on the real data (landed once per session)."""

from __future__ import annotations

import polars as pl

from wfh.ingest import crosswalk


def test_pairs_and_code_kinds(read_landed):
    pairs = read_landed("esco_onet_crosswalk", "crosswalk")
    assert pairs.height == 8627
    kinds = dict(pairs.group_by("code_kind").len().iter_rows())
    assert kinds == {"esco_occupation": 7706, "isco_group": 921}
    assert pairs["esco_code"].n_unique() == 3349 and pairs["onet_soc_code"].n_unique() == 958


def test_esco_codes_resolve_to_concept_uris(read_landed):
    pairs = read_landed("esco_onet_crosswalk", "crosswalk")
    occupations = read_landed("esco", "occupations")
    esco_rows = pairs.filter(pl.col("code_kind") == "esco_occupation")
    resolved = esco_rows.filter(pl.col("esco_occupation_uri").is_not_null())
    assert resolved.join(occupations, left_on="esco_occupation_uri", right_on="concept_uri", how="anti").is_empty()
    by_code = resolved.filter(pl.col("uri_resolved_by") == "code")
    check = by_code.join(occupations, left_on="esco_occupation_uri", right_on="concept_uri")
    assert (check["esco_code"] == check["code"]).all()
    # only "therapeutic radiographer" (not in ESCO v1.1.1) and one occupation whose code and label
    # both changed after v1.1.0 stay unresolved
    unresolved = esco_rows.filter(pl.col("esco_occupation_uri").is_null())["esco_code"].unique().sort()
    assert unresolved.to_list() == ["2263.4", "2269.8.3"]
    lieutenant = pairs.filter(pl.col("esco_code") == "0110.10")
    assert lieutenant["isco_group_code"].unique().to_list() == ["0110"]


def test_isco_codes_stay_isco_groups(read_landed):
    isco_rows = read_landed("esco_onet_crosswalk", "crosswalk").filter(pl.col("code_kind") == "isco_group")
    assert isco_rows["esco_occupation_uri"].null_count() == isco_rows.height
    assert (isco_rows["isco_group_code"] == isco_rows["esco_code"]).all()
    isco_groups = read_landed("esco", "isco_groups")
    assert isco_rows.join(isco_groups, left_on="isco_group_code", right_on="code", how="anti").is_empty()


def test_workbook_and_its_csv_export_agree(mirror):
    folder = mirror / "crosswalks" / "esco-onet"
    from_xlsx = crosswalk.read_pairs(folder / "ESCO_to_ONET-SOC.xlsx")
    from_csv = crosswalk.read_pairs(folder / "ESCO_to_ONET-SOC.csv")
    assert from_xlsx.height == 8627
    assert from_xlsx.equals(from_csv)
