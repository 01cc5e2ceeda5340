"""The refresh flow on real data: run record, publishing, and a failed run leaving the warehouse alone."""

from __future__ import annotations

import json

import duckdb
import pytest

from wfh.errors import InputError


def _con(folder):
    return duckdb.connect(str(folder / "wfh.duckdb"), read_only=True)


def test_published_run_is_recorded_with_versions_rows_and_quality(published_warehouse):
    with _con(published_warehouse) as con:
        rows = con.sql(
            "select run_id, status, source_versions, rows_per_mart, quality_status "
            "from ops.refresh_runs where status = 'published'"
        ).fetchall()
    assert len(rows) == 1
    _, _, versions, rows_per_mart, quality = rows[0]
    versions = json.loads(versions)
    assert {"skills_england", "esco", "onet", "esco_onet_crosswalk", "cycles"} <= set(versions)
    assert versions["esco"] == "1.1.1"
    rows_per_mart = json.loads(rows_per_mart)
    assert rows_per_mart["dim_standard"] == 2170
    assert quality.startswith("passed")
    assert not (published_warehouse / ".build" / "wfh.duckdb").exists()


def test_failed_refresh_keeps_the_last_good_warehouse(published_warehouse, tmp_path, monkeypatch):
    """A broken cycle bundle stops the run in ingest; the live file is byte-for-byte unchanged."""
    from wfh.flows.refresh import refresh

    bundle = tmp_path / "broken-cycle"
    bundle.mkdir()
    (bundle / "cycle.yml").write_text("id: broken-cycle\ntitle: Broken\n")
    (bundle / "capabilities.csv").write_text("capability_id,statement\ncap-1,\n")
    live = published_warehouse / "wfh.duckdb"
    before = live.read_bytes()
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(published_warehouse))
    monkeypatch.setenv("WFH_CYCLE_DIRS", str(bundle))

    with pytest.raises(InputError):
        refresh(full=False, subset=True)

    assert live.read_bytes() == before
    log = [json.loads(line) for line in (published_warehouse / "run_log.jsonl").read_text().splitlines()]
    assert log[-1]["status"] == "failed"
