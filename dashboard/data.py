"""Reading the published warehouse for the dashboard: read-only, brief, retried, cached per file version.

Every query opens its own ``read_only=True`` connection and closes it straight away, so the refresh can
replace the file at any moment (``os.replace``) and the next query sees the new warehouse. Results are
cached keyed on the file's identity (inode, size, mtime): a newly published warehouse is a new key.
The dashboard reads only the ``marts`` schema.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from wfh.settings import paths
from wfh.warehouse import connect_read_only


class WarehouseUnavailable(RuntimeError):
    """The published warehouse file is missing or stays locked."""


def warehouse_file() -> Path:
    """The published warehouse (``$WFH_WAREHOUSE_DIR/wfh.duckdb``)."""
    return paths().live_db


def warehouse_version(path: Path) -> tuple[int, int, int]:
    """Identity of the file on disk; changes when a new warehouse is published over it."""
    stat = path.stat()
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def read_marts(path: Path, sql: str, params: tuple | list = ()) -> pd.DataFrame:
    """Run one query on a short read-only connection (``wfh.warehouse.connect_read_only`` retries
    briefly while a writer holds the lock) and close it straight away."""
    try:
        con = connect_read_only(path)
    except duckdb.IOException as error:
        raise WarehouseUnavailable(f"cannot open {path}: {error}") from error
    try:
        return con.sql(sql, params=list(params)).df()
    finally:
        con.close()


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(path: str, version: tuple[int, int, int], sql: str, params: tuple) -> pd.DataFrame:
    return read_marts(Path(path), sql, params)


def query(sql: str, params: tuple | list = ()) -> pd.DataFrame:
    """A query result from the published warehouse (cached until the file changes)."""
    path = warehouse_file()
    if not path.exists():
        raise WarehouseUnavailable(f"no published warehouse at {path}: run `wfh refresh` or set WFH_WAREHOUSE_DIR")
    return _cached(str(path), warehouse_version(path), sql, tuple(params))


def cycles() -> pd.DataFrame:
    """Cycles in the warehouse, newest id last: ``cycle_id, cycle_title``."""
    return query("SELECT cycle_id, cycle_title FROM marts.data_capture_overview ORDER BY cycle_id")


def fops(cycle_id: str) -> pd.DataFrame:
    """The cycle's FOPs with their role family (role level name, else 'Unassigned')."""
    return query(
        """
        SELECT fop_key, name AS fop_name, is_priority, role_level_id,
               coalesce(role_level_name, 'Unassigned') AS role_family
        FROM marts.dim_fop
        WHERE cycle_id = ?
        ORDER BY coalesce(role_level_id, 999), name
        """,
        (cycle_id,),
    )


def partners(cycle_id: str) -> pd.DataFrame:
    """The cycle's supply-chain partners that have capabilities: ``partner_key, partner_name``."""
    return query(
        """
        SELECT DISTINCT partner_key, partner_name
        FROM marts.supply_chain_capabilities
        WHERE cycle_id = ?
        ORDER BY partner_name
        """,
        (cycle_id,),
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _mart_columns(path: str, version: tuple[int, int, int], mart: str) -> tuple[str, ...]:
    """The mart's columns; none when the published warehouse has no such mart (yet)."""
    try:
        return tuple(read_marts(Path(path), f"SELECT * FROM marts.{mart} LIMIT 0").columns)
    except duckdb.CatalogException:
        return ()


def available(mart: str, wanted: list[str] | tuple[str, ...]) -> list[str]:
    """The ``wanted`` columns that ``marts.<mart>`` has, in the order asked.

    Pages list optional columns (alignment, rank, evidence, route ...) through this helper: a column
    another change adds to a mart shows up on its page as soon as the published warehouse has it.
    """
    path = warehouse_file()
    if not path.exists():
        return []
    have = set(_mart_columns(str(path), warehouse_version(path), mart))
    return [column for column in wanted if column in have]


def select_also(columns: list[str], table: str | None = None) -> str:
    """The optional ``columns`` (from :func:`available`) to append to a SELECT list: ", a, b"
    (", m.a, m.b" with ``table`` "m"); empty when there are none."""
    prefix = f"{table}." if table else ""
    return "".join(f", {prefix}{column}" for column in columns)


def top_standards_per_fop() -> int:
    """How many best-ranked standards the FOP pages weigh per FOP (dbt var ``top_standards_per_fop``,
    read back from the mart it shapes)."""
    return int(query("SELECT coalesce(max(fit_rank), 1) AS n FROM marts.fop_vs_provision")["n"].iloc[0])


def standards() -> pd.DataFrame:
    """Every standard version with what a planner needs to judge it (one place for status, version,
    level, route, where the occupation is found and the Skills England page): ``standard_key`` plus
    those columns (``standard_sector``: dim_standard.sector_statement, once the warehouse has it)."""
    sector = ", sector_statement AS standard_sector" if available("dim_standard", ["sector_statement"]) else ""
    return query(
        f"""
        SELECT standard_key, reference_number AS standard_reference, version AS standard_version,
               title AS standard_title, level AS standard_level, status AS standard_status,
               route AS standard_route, standard_page_url, is_latest_approved_version{sector}
        FROM marts.dim_standard
        """
    )


def publication() -> dict[str, str]:
    """When the warehouse was published and by which refresh run (the newest finished run)."""
    runs = query(
        """
        SELECT run_id, finished_at, status
        FROM marts.refresh_runs
        WHERE finished_at IS NOT NULL
        ORDER BY finished_at DESC
        LIMIT 1
        """
    )
    if runs.empty:
        return {}
    run = runs.iloc[0]
    return {"run_id": str(run["run_id"]), "finished_at": str(run["finished_at"])[:16], "status": str(run["status"])}
