"""The gates inside the real refresh: results recorded in the warehouse; a failed gate publishes nothing."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from wfh.errors import QualityGateError
from wfh.quality import run_marts_gate


def test_published_warehouse_holds_both_gates_results(published_warehouse):
    with duckdb.connect(str(published_warehouse / "wfh.duckdb"), read_only=True) as con:
        rows = con.sql(
            "select split_part(suite, '.', 1) as gate, count(*), "
            "count(*) filter (where not success and severity = 'critical'), "
            "count(distinct run_id) from ops.quality_results group by gate order by gate"
        ).fetchall()
        findings = con.sql(
            "select observed_value from ops.quality_results where suite = 'landing.finding.report_findings'"
        ).fetchall()
        (status,) = con.sql("select quality_status from ops.refresh_runs where status = 'published'").fetchall()
    assert [(gate, critical_failures, runs) for gate, _, critical_failures, runs in rows] == [
        ("landing", 0, 1),
        ("marts", 0, 1),
    ]
    assert "atmp-poc-2026:stated-capability-counts" in findings[0][0]
    # the known quirks are findings, not failed warnings: a clean run reads "passed"
    assert status == ("passed",)
    assert (published_warehouse / "data_docs" / "index.html").is_file()


def test_marts_gate_passes_on_the_published_warehouse(published_warehouse, gx_context):
    result = run_marts_gate(published_warehouse / "wfh.duckdb", "test-published", context=gx_context)
    assert result.success
    assert not [r for r in result.results if r.expectation == "frame_is_readable"]


def test_failed_landing_gate_keeps_the_published_warehouse(published_warehouse, tmp_path, monkeypatch):
    """A duplicated standard version in the landing zone stops the refresh before dbt runs (forced: the
    landing zone is build output, not an input of the fingerprint, so an unforced run would skip)."""
    from wfh.flows.refresh import refresh

    folder = tmp_path / "warehouse"
    shutil.copytree(published_warehouse, folder, symlinks=True)
    standards = folder / "landing" / "skills_england" / "current" / "standards.parquet"
    with duckdb.connect() as con:
        con.sql(f"create table t as select * from read_parquet('{standards}')")
        con.sql("select * from t union all (select * from t where reference_number = 'ST0473' limit 1)").write_parquet(
            str(standards)
        )
    live = folder / "wfh.duckdb"
    before = live.read_bytes()
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(folder))

    with pytest.raises(
        QualityGateError,
        match=r"landing\.skills_england\.standards: "
        r"expect_compound_columns_to_be_unique\(reference_number, version\)",
    ):
        refresh(full=False, subset=True, force=True)

    assert live.read_bytes() == before
    assert not list((folder / ".build").rglob("*.duckdb"))
    log = [json.loads(line) for line in (folder / "run_log.jsonl").read_text().splitlines()]
    assert log[-1]["status"] == "failed"
    assert log[-1]["run_id"] in (folder / "data_docs" / "index.html").read_text()
