"""The wfh command line on the published test warehouse: answers, and one-line errors."""

from __future__ import annotations

import pytest

from wfh.cli import main


@pytest.fixture()
def on_warehouse(published_warehouse, monkeypatch):
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(published_warehouse))
    return published_warehouse


def test_sql_runs_read_only_query_as_csv(on_warehouse, capsys):
    assert main(["sql", "select count(*) as standards from marts.dim_standard", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["standards", "2170"]


def test_sql_error_is_one_line_and_non_zero(on_warehouse, capsys):
    assert main(["sql", "select * from marts.no_such_table"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no_such_table" in err and "Traceback" not in err


def test_sql_cannot_write(on_warehouse, capsys):
    assert main(["sql", "create table marts.x as select 1"]) == 2
    assert "read-only" in capsys.readouterr().err.lower()


def test_status_reports_last_run_sources_and_quality(on_warehouse, capsys):
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "esco" in out and "1.1.1" in out and "quality" in out


def test_add_cycle_rejects_a_folder_without_cycle_yml(tmp_path, capsys):
    assert main(["add-cycle", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no cycle.yml" in err and err.count("\n") == 1


def test_missing_warehouse_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(tmp_path))
    assert main(["sql", "select 1"]) == 2
    assert "wfh refresh" in capsys.readouterr().err
