"""Dashboard test set-up: a real published warehouse, the app pointed at it, and what it holds."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="session")
def dashboard_warehouse(request: pytest.FixtureRequest) -> Path:
    """Folder holding the published ``wfh.duckdb`` the dashboard reads.

    ``WFH_TEST_WAREHOUSE_DIR`` (a folder with an already built wfh.duckdb) wins when set; otherwise the
    session fixture ``published_warehouse`` of tests/conftest.py (a real refresh on a small subset).
    """
    value = os.environ.get("WFH_TEST_WAREHOUSE_DIR")
    folder = Path(value) if value else Path(request.getfixturevalue("published_warehouse"))
    assert (folder / "wfh.duckdb").is_file(), f"no wfh.duckdb in {folder}"
    return folder


@pytest.fixture(scope="session", autouse=True)
def _dashboard_reads_test_warehouse(dashboard_warehouse: Path):
    """Point ``wfh.settings.paths().live_db`` (and so the app) at the test warehouse."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WFH_WAREHOUSE_DIR", str(dashboard_warehouse))
        yield


class Warehouse:
    """Read-only queries on the test warehouse, for expected values."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "wfh.duckdb"

    def rows(self, query: str, params: list | tuple = ()) -> list[tuple]:
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.sql(query, params=list(params)).fetchall()
        finally:
            con.close()

    def value(self, query: str, params: list | tuple = ()):
        """The first column of the first row (None when there is no row)."""
        rows = self.rows(query, params)
        return rows[0][0] if rows else None


@pytest.fixture(scope="session")
def warehouse(dashboard_warehouse: Path) -> Warehouse:
    return Warehouse(dashboard_warehouse)


@pytest.fixture(scope="session")
def cycle(warehouse: Warehouse) -> str:
    """The cycle the app opens on: the last by id (the sidebar default)."""
    return warehouse.value("SELECT max(cycle_id) FROM marts.data_capture_overview")
