"""Case 2: one bad line in ``warehouse/run_log.jsonl`` (an interrupted write, a file overwritten by hand)
never breaks `wfh status` or the next refresh: it is skipped and reported, and the next record starts
on a line of its own."""

from __future__ import annotations

import duckdb

from wfh import warehouse
from wfh.cli import main
from wfh.settings import paths

GOOD = (
    '{"run_id": "a1", "started_at": "2026-11-30T10:00:00+00:00", "finished_at": '
    '"2026-11-30T10:05:00+00:00", "status": "published", "source_versions": {"esco": "1.1.1"}, '
    '"rows_per_mart": null, "quality_status": "passed"}\n'
)


def test_status_skips_and_reports_an_unreadable_line(tiny_warehouse, capsys):
    log = paths().warehouse / "run_log.jsonl"
    log.write_text(GOOD + '{"run_id": "b2", "started_at": "2026-11-30T11:0\n' + "not json at all\n")
    assert main(["status"]) == 0
    captured = capsys.readouterr()
    assert "a1" in captured.out and "published" in captured.out and "esco" in captured.out
    assert "run_log.jsonl line 2: unreadable" in captured.err
    assert "run_log.jsonl line 3: unreadable" in captured.err
    assert "Traceback" not in captured.err


def test_a_record_never_continues_a_partial_line(warehouse_dir):
    log = paths().warehouse / "run_log.jsonl"
    log.write_text(GOOD + '{"run_id": "cut", "status": "runn')  # killed in the middle of a write
    warehouse.append_run_record({"run_id": "c3", "status": "failed", "started_at": "2026-11-30T12:00:00+00:00"})
    assert [r["run_id"] for r in warehouse.read_run_log()] == ["a1", "c3"]
    assert log.read_text().endswith('"quality_status": null}\n')


def test_the_next_build_loads_the_readable_runs_into_ops(warehouse_dir):
    log = paths().warehouse / "run_log.jsonl"
    log.write_text(GOOD + "garbage\n" + "[1, 2]\n" + '{"run_id": "x", "status": "failed", "started_at": "yesterday"}\n')
    with duckdb.connect(str(warehouse_dir / "build.duckdb")) as con:
        warehouse.load_run_log(con, current={"run_id": "now", "status": "running"})
        rows = con.sql("select run_id, status from ops.refresh_runs order by run_id").fetchall()
    assert rows == [("a1", "published"), ("now", "running")]
