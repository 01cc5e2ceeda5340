"""Publishing is atomic: readers never see a half-built file and old readers keep their snapshot."""

from __future__ import annotations

import duckdb
import pytest

from wfh import warehouse
from wfh.settings import paths


@pytest.fixture()
def warehouse_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(tmp_path))
    return tmp_path


def _write(path, value: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.sql(f"create or replace table answer as select {value} as value")


def test_publish_replaces_live_file_and_old_reader_keeps_snapshot(warehouse_dir):
    _write(paths().live_db, 1)
    reader = warehouse.connect_read_only()
    build = warehouse.prepare_build(full=False, run_id="run1")
    assert build.read_bytes()[:16] == paths().live_db.read_bytes()[:16]  # incremental: a copy
    with duckdb.connect(str(build)) as con:
        con.sql("update answer set value = 2")
    warehouse.publish(build)

    assert not build.parent.exists()  # the run's build folder is gone
    assert reader.sql("select value from answer").fetchall() == [(1,)]
    reader.close()
    with warehouse.connect_read_only() as fresh:
        assert fresh.sql("select value from answer").fetchall() == [(2,)]


def test_full_build_starts_empty_and_discard_leaves_live_untouched(warehouse_dir):
    _write(paths().live_db, 1)
    before = paths().live_db.read_bytes()
    build = warehouse.prepare_build(full=True, run_id="run1")
    assert not build.exists()
    _write(build, 99)
    warehouse.discard_build(build)
    assert not build.exists()
    assert paths().live_db.read_bytes() == before


def test_missing_warehouse_is_a_clear_error(warehouse_dir):
    with pytest.raises(warehouse.WarehouseMissing, match="run `wfh refresh` first"):
        warehouse.connect_read_only()


def test_run_log_survives_failed_runs_and_loads_into_ops(warehouse_dir):
    warehouse.append_run_record({"run_id": "a", "status": "failed", "source_versions": {"esco": "1.1.1"}})
    warehouse.append_run_record({"run_id": "b", "status": "published"})
    _write(paths().live_db, 1)
    with duckdb.connect(str(paths().live_db)) as con:
        warehouse.load_run_log(con, current={"run_id": "c", "status": "running"})
        rows = con.sql("select run_id, status, source_versions from ops.refresh_runs order by run_id").fetchall()
    assert rows == [("a", "failed", '{"esco": "1.1.1"}'), ("b", "published", None), ("c", "running", None)]
