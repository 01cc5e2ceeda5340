"""The dashboard's warehouse access: read-only, marts only, retried while locked, fresh after a publish."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from wfh.dashboard import dashboard_command, data

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
HOLD_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def test_pages_read_only_marts_tables() -> None:
    sources = [path for path in DASHBOARD.rglob("*.py")]
    tables = [
        match for path in sources for match in re.findall(r"\b(?:FROM|JOIN)\s+([A-Za-z_][\w.]*)", path.read_text())
    ]
    assert tables, "no SQL found in the dashboard"
    assert all(table.startswith("marts.") for table in tables), sorted(set(tables))


def _optional_columns() -> list[tuple[str, str, str]]:
    """(page, mart, column) of every ``data.available("mart", [columns])`` call in the dashboard."""
    asked = []
    for path in sorted(DASHBOARD.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "available" and len(node.args) == 2:
                mart, columns = ast.literal_eval(node.args[0]), ast.literal_eval(node.args[1])
                asked += [(path.name, mart, column) for column in columns]
    return asked


def test_every_optional_column_a_page_asks_for_exists(warehouse) -> None:
    """``data.available`` drops a column the mart lacks without a word, which hides a misspelt name:
    on a current build every column the pages ask for must exist."""
    asked = _optional_columns()
    assert len({mart for _, mart, _ in asked}) >= 4, asked
    columns = "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'marts'"
    have = set(warehouse.rows(columns))
    assert [entry for entry in asked if entry[1:] not in have] == []


def test_query_reads_the_published_warehouse(warehouse, cycle: str) -> None:
    assert data.warehouse_file() == warehouse.path.resolve()
    overview = data.query("SELECT cycle_id, capabilities FROM marts.data_capture_overview WHERE cycle_id = ?", [cycle])
    assert overview["capabilities"].tolist() == [
        warehouse.value("SELECT count(*) FROM marts.dim_capability WHERE cycle_id = ?", [cycle])
    ]


def test_connections_are_read_only(warehouse) -> None:
    with pytest.raises(duckdb.Error, match="read-only"):
        data.read_marts(warehouse.path, "CREATE TABLE marts.should_not_exist AS SELECT 1 AS x")


def _hold_write_lock(path: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_reader_retries_while_a_writer_holds_the_file(tmp_path: Path, warehouse) -> None:
    copy = tmp_path / "wfh.duckdb"
    shutil.copyfile(warehouse.path, copy)
    holder = _hold_write_lock(copy, 0.3)  # shorter than connect_read_only's retries (about 3 s)
    try:
        rows = data.read_marts(copy, "SELECT count(*) AS n FROM marts.dim_capability")
    finally:
        holder.wait(timeout=30)
    assert rows["n"].iloc[0] == warehouse.value("SELECT count(*) FROM marts.dim_capability")


def test_a_reader_gives_up_with_a_clear_error(tmp_path: Path, warehouse) -> None:
    copy = tmp_path / "wfh.duckdb"
    shutil.copyfile(warehouse.path, copy)
    holder = _hold_write_lock(copy, 10)
    try:
        with pytest.raises(data.WarehouseUnavailable, match="lock"):
            data.read_marts(copy, "SELECT 1")
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_a_newly_published_warehouse_is_picked_up(tmp_path: Path, warehouse, monkeypatch) -> None:
    live = tmp_path / "wfh.duckdb"
    shutil.copyfile(warehouse.path, live)
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(tmp_path))
    before = data.cycles()
    assert before.equals(data.cycles())  # cached: same file, same answer

    build = tmp_path / ".build" / "wfh.duckdb"
    build.parent.mkdir()
    shutil.copyfile(warehouse.path, build)
    con = duckdb.connect(str(build))
    con.sql("UPDATE marts.data_capture_overview SET cycle_title = 'republished ' || cycle_id")
    con.close()
    os.replace(build, live)  # how the refresh publishes

    after = data.cycles()
    assert after["cycle_title"].tolist() == [f"republished {cid}" for cid in before["cycle_id"]]


def test_a_missing_warehouse_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(tmp_path))
    with pytest.raises(data.WarehouseUnavailable, match="no published warehouse"):
        data.cycles()


def test_dashboard_command_binds_localhost_headless() -> None:
    argv = dashboard_command(8765)
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(argv[4]) == DASHBOARD / "app.py"
    options = dict(zip(argv[5::2], argv[6::2], strict=False))
    assert options == {
        "--server.address": "127.0.0.1",
        "--server.port": "8765",
        "--server.headless": "true",
        "--browser.gatherUsageStats": "false",
    }


def small_warehouse(tmp_path: Path, monkeypatch, *statements: str) -> Path:
    """A hand-made published warehouse holding the ``marts`` tables the statements create."""
    folder = tmp_path / "wh"
    folder.mkdir(exist_ok=True)
    with duckdb.connect(str(folder / "wfh.duckdb")) as con:
        con.sql("CREATE SCHEMA IF NOT EXISTS marts")
        for statement in statements:
            con.sql(statement)
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(folder))
    return folder / "wfh.duckdb"


def test_optional_columns_appear_once_the_mart_has_them(tmp_path, monkeypatch) -> None:
    """Pages ask for columns another change adds (alignment, rank ...) through data.available."""
    small_warehouse(
        tmp_path, monkeypatch, "CREATE TABLE marts.fop_standard_fit AS SELECT 'f' AS fop_key, 0.5 AS fit, 1 AS rank"
    )
    assert data.available("fop_standard_fit", ["rank", "alignment", "fit"]) == ["rank", "fit"]
    assert data.available("capability_standard_match", ["rank"]) == []  # no such mart yet


def test_the_pages_read_the_number_of_standards_per_fop_back_from_the_mart(tmp_path, monkeypatch) -> None:
    """The dbt var top_standards_per_fop shapes fop_vs_provision; the sliders read it back (1 when empty)."""
    db = small_warehouse(
        tmp_path, monkeypatch, "CREATE TABLE marts.fop_vs_provision (fop_key VARCHAR, fit_rank INTEGER)"
    )
    assert data.top_standards_per_fop() == 1
    with duckdb.connect(str(db)) as con:
        con.sql("INSERT INTO marts.fop_vs_provision VALUES ('a', 1), ('a', 2), ('a', 3), ('b', 1)")
    assert data.top_standards_per_fop() == 3
