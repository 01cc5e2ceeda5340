"""Case 3: `wfh sql` writes nothing anywhere: no files (COPY, EXPORT DATABASE, profiling and query
logs), no other databases (ATTACH ... READ_WRITE), no extensions from the network (INSTALL); each
refusal is one line and exit 2, while plain queries still answer."""

from __future__ import annotations

import os

import pytest

from wfh.cli import main


def _files_under(folder) -> set[str]:
    return {os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs}


def test_queries_still_answer(tiny_warehouse, capsys):
    assert main(["sql", "select capability_id from marts.capability_gaps order by 1", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["capability_id", "cap-1", "cap-2"]


@pytest.mark.parametrize(
    "statement",
    [
        "copy (select * from marts.capability_gaps) to '{out}/gaps.csv'",
        "copy (select 1) to '{warehouse}/run_log.jsonl'",
        "export database '{out}/dump'",
        "pragma profiling_output = '{out}/profile.json'",
        "set log_query_path = '{out}/queries.log'",
        "attach '{out}/other.duckdb' as other (read_write)",
        "install httpfs",
        "select * from read_csv('/etc/hostname')",
        "set enable_external_access = true",
    ],
)
def test_sql_refuses_to_reach_outside_the_warehouse(statement, tiny_warehouse, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    before = _files_under(tiny_warehouse)
    query = statement.format(out=out, warehouse=tiny_warehouse)
    assert main(["sql", query + "; select 42"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wfh sql: ") and err.count("\n") == 1 and "Traceback" not in err
    assert _files_under(out) == set()
    assert _files_under(tiny_warehouse) == before
