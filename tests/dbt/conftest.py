"""The dbt tests read the warehouse of the session's real refresh (``published_warehouse``: the ingest
code lands the real sources into a temporary warehouse folder, dbt builds staging + intermediate,
the match step runs on its small subset, dbt builds the marts, and the file is published)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from wfh.dbt import run_dbt


@pytest.fixture(scope="module")
def cube(published_warehouse):
    """A read-only connection to the published warehouse."""
    with duckdb.connect(str(published_warehouse / "wfh.duckdb"), read_only=True) as connection:
        yield connection


def copy_of_warehouse(published_warehouse: Path, folder: Path) -> Path:
    """A private copy of the published file (same basename: dbt writes three-part names)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(published_warehouse / "wfh.duckdb", folder / "wfh.duckdb"))


@pytest.fixture
def warehouse_copy(published_warehouse, tmp_path) -> Path:
    """A private, writable copy of the published warehouse for one test."""
    return copy_of_warehouse(published_warehouse, tmp_path / "db")


@pytest.fixture(scope="module")
def docs_target(published_warehouse, tmp_path_factory) -> Path:
    """``dbt docs generate`` run on a copy of the published warehouse, into a target folder of its own."""
    folder = tmp_path_factory.mktemp("dbt_docs")
    db_path = copy_of_warehouse(published_warehouse, folder / "db")
    target = folder / "target"
    run_dbt(["docs", "generate"], db_path=db_path, landing_dir=published_warehouse / "landing", target_path=target)
    return target
