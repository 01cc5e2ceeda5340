"""Case 9: a read-only connection opened after a publish sees the new warehouse even while an older
connection in the same process still reads the old one (DuckDB otherwise shares one instance per file
within a process), and the dashboard's one-connection-per-query pattern holds across a publish."""

from __future__ import annotations

import os
import threading

import duckdb
import pytest

from wfh import warehouse
from wfh.settings import paths


@pytest.fixture()
def warehouse_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(tmp_path))
    return tmp_path


def _build_with(value: int, name: str):
    """A finished build of run ``name`` whose ``marts.answer`` holds ``value`` (1,000 rows)."""
    build = paths().warehouse / ".build" / name / paths().live_db.name
    build.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(build)) as con:
        con.sql("create schema marts")
        con.sql(f"create table marts.answer as select {value} as value, i from range(1000) t(i)")
    return build


def test_a_new_connection_sees_the_new_file_while_an_old_one_is_open(warehouse_dir):
    os.replace(_build_with(1, "first"), paths().live_db)
    old = warehouse.connect_read_only()
    assert old.sql("select distinct value from marts.answer").fetchall() == [(1,)]
    warehouse.publish(_build_with(2, "second"))
    new = warehouse.connect_read_only()
    assert new.sql("select distinct value from marts.answer").fetchall() == [(2,)]
    assert old.sql("select distinct value from marts.answer").fetchall() == [(1,)]  # its snapshot
    old.close()
    new.close()


def test_two_overlapping_dashboard_queries_across_a_publish(warehouse_dir):
    from wfh.dashboard.data import read_marts

    os.replace(_build_with(1, "first"), paths().live_db)
    started, published, results = threading.Event(), threading.Event(), {}

    def long_query():
        con = warehouse.connect_read_only()
        try:
            cursor = con.execute("select value, i from marts.answer order by i")
            first = cursor.fetchmany(10)  # the query is under way ...
            started.set()
            published.wait(timeout=30)  # ... while a new warehouse is published
            results["long"] = {row[0] for row in first + cursor.fetchall()}
        finally:
            con.close()

    reader = threading.Thread(target=long_query)
    reader.start()
    assert started.wait(timeout=30)
    warehouse.publish(_build_with(2, "second"))
    results["after"] = set(read_marts(paths().live_db, "select distinct value from marts.answer")["value"])
    published.set()
    reader.join(timeout=30)
    assert results == {"long": {1}, "after": {2}}
