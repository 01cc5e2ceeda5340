"""The landing zone: layout and contract columns, the load audit, idempotence, atomic writes."""

from __future__ import annotations

import os
import re

import polars as pl
import pytest

from wfh import landing
from wfh.ingest import PARSERS, load_source

SNAKE = re.compile(r"^_?[a-z0-9]+(_[a-z0-9]+)*$")
VERSIONS = {
    "skills_england": "2026-08-22",
    "esco": "1.1.1",
    "onet": "30.1",
    "esco_onet_crosswalk": "onet-soc-2019_esco-1.1.0",
}


def test_layout_current_links_and_contract_columns(landed):
    for source, version in VERSIONS.items():
        link = landed / source / "current"
        assert link.is_symlink() and os.readlink(link) == version  # relative: the folder can move
        for table in PARSERS[source].TABLES:
            frame = pl.read_parquet(link / f"{table}.parquet")
            assert frame.schema["_loaded_at"] == pl.Datetime("us", "UTC"), (source, table)
            assert all(SNAKE.match(c) for c in frame.columns), (source, table, frame.columns)
    assert not list(landed.rglob(".*.tmp-*")), "temporary files left behind"


def test_load_audit_records_every_table_and_file(landed):
    audit = landing.read_audit(landed)
    assert audit.columns == ["source", "version", "table_name", "file", "sha256", "rows", "loaded_at", "duration_s"]
    standards = audit.filter(
        pl.col("table_name") == "standards", pl.col("file") == "apprenticeshipstandards_all_versions.json.gz"
    )
    assert standards["rows"].to_list() == [2170]
    assert standards["sha256"].to_list() == ["548d8f3780052713116e3008eee089855fe61f30b4e8b8985c831a4fc4ec73bd"]
    relations = audit.filter(pl.col("table_name") == "occupation_skill_relations")
    assert set(relations["file"]) == {
        "occupationSkillRelations.csv.gz",
        "occupations_en.csv",
        "code:wfh/ingest/esco.py",
    }
    crosswalk_files = set(audit.filter(pl.col("source") == "esco_onet_crosswalk")["file"])
    assert "occupations_en.csv" in crosswalk_files  # the crosswalk depends on ESCO's occupations
    assert (audit["duration_s"] > 0).all()


def test_second_run_with_unchanged_inputs_does_no_work(landed):
    before = {p: p.stat().st_mtime_ns for p in landed.rglob("*.parquet")}
    for source in VERSIONS:
        result = load_source(source, landing_dir=landed)
        assert result.status == "skipped"
        assert result.rows == landing.rows_landed(source, VERSIONS[source], landed)
    assert {p: p.stat().st_mtime_ns for p in landed.rglob("*.parquet")} == before


def test_a_changed_input_reloads_only_its_own_source(mirror_copy, tmp_path):
    mirror_copy.copy("esco")
    mirror_copy.copy("esco_onet_crosswalk")
    target = tmp_path / "landing"
    manifest = mirror_copy.manifest()
    for source in ("esco", "esco_onet_crosswalk"):
        assert load_source(source, manifest=manifest, landing_dir=target).status == "loaded"
    crosswalk_file = target / "esco_onet_crosswalk" / "current" / "crosswalk.parquet"
    crosswalk_mtime = crosswalk_file.stat().st_mtime_ns

    # a new concept scheme row: only ESCO changes (the crosswalk reads ESCO's occupations only)
    schemes = mirror_copy.path("esco", "conceptSchemes_en.csv")
    with schemes.open("a", encoding="utf-8") as handle:
        handle.write("ConceptScheme,http://example.org/scheme,extra,,released,,\n")
    manifest = mirror_copy.manifest()
    assert load_source("esco", manifest=manifest, landing_dir=target).status == "loaded"
    assert load_source("esco_onet_crosswalk", manifest=manifest, landing_dir=target).status == "skipped"
    assert crosswalk_file.stat().st_mtime_ns == crosswalk_mtime
    schemes_landed = pl.read_parquet(target / "esco" / "current" / "concept_schemes.parquet")
    assert schemes_landed.height == 20
    audit = landing.read_audit(target)
    assert audit.filter(pl.col("source") == "esco")["loaded_at"].n_unique() == 2
    assert audit.filter(pl.col("source") == "esco_onet_crosswalk")["loaded_at"].n_unique() == 1


def test_a_deleted_parquet_file_is_written_again(mirror_copy, tmp_path):
    mirror_copy.copy("esco")
    mirror_copy.copy("esco_onet_crosswalk")
    target, manifest = tmp_path / "landing", mirror_copy.manifest()
    load_source("esco", manifest=manifest, landing_dir=target)
    load_source("esco_onet_crosswalk", manifest=manifest, landing_dir=target)
    (target / "esco_onet_crosswalk" / "current" / "crosswalk.parquet").unlink()
    assert load_source("esco_onet_crosswalk", manifest=manifest, landing_dir=target).status == "loaded"
    assert (target / "esco_onet_crosswalk" / "current" / "crosswalk.parquet").is_file()


def test_land_rejects_tables_without_inputs(tmp_path):
    with pytest.raises(ValueError, match="disagree"):
        landing.land("demo", "1", {"a": pl.DataFrame({"x": [1]})}, {}, 0.0, tmp_path)


def test_land_swaps_current_to_a_new_version(tmp_path):
    import time

    frame = pl.DataFrame({"x": [1, 2]})
    landing.land("demo", "v1", {"t": frame}, {"t": {"f": "a"}}, time.perf_counter(), tmp_path)
    landing.land("demo", "v2", {"t": frame.head(1)}, {"t": {"f": "b"}}, time.perf_counter(), tmp_path)
    assert landing.current_version("demo", tmp_path) == "v2"
    assert pl.read_parquet(tmp_path / "demo" / "current" / "t.parquet").height == 1
    assert pl.read_parquet(tmp_path / "demo" / "v1" / "t.parquet").height == 2  # old version kept
    assert landing.is_up_to_date("demo", "v2", {"t": {"f": "b"}}, tmp_path)
    assert not landing.is_up_to_date("demo", "v1", {"t": {"f": "a"}}, tmp_path)  # not current
