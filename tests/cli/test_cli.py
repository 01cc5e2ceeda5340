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


def test_match_reads_a_csv_column_and_writes_ranked_jsonl(on_warehouse, tmp_path, capsys):
    import json

    queries = tmp_path / "mine.csv"
    queries.write_text(
        "id,statement\n1,Operate a manufacturing batch process following standard operating procedures\n"
    )
    assert (
        main(
            [
                "match",
                "--against",
                "duties",
                "--top",
                "3",
                "--input",
                str(queries),
                "--column",
                "statement",
                "--format",
                "jsonl",
            ]
        )
        == 0
    )
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert set(rows[0]) == {"query", "rank", "id", "label", "similarity"}
    assert "ST0250" in rows[0]["id"]  # its standardInformation says exactly this


def test_match_unknown_column_is_one_line(on_warehouse, tmp_path, capsys):
    queries = tmp_path / "mine.csv"
    queries.write_text("id,statement\n1,Manage quality\n")
    assert main(["match", "--against", "esco-skills", "--input", str(queries), "--column", "nope"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
