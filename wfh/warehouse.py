"""The DuckDB warehouse: read-only connections for readers, and safe publishing for the refresh.

A refresh never writes the live file. It builds ``warehouse/.build/wfh.duckdb`` (a copy of the live
file, so caches such as embeddings carry over, or an empty file with ``--full``) and, when every
gate has passed, publishes it with ``os.replace``: readers that already hold the old file keep
their snapshot, new connections see the new one, and nobody ever sees a half-built warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from wfh.errors import InputError
from wfh.settings import paths


class WarehouseMissing(InputError):
    """No published warehouse yet."""


def connect_read_only(db_path: Path | None = None, *, attempts: int = 10,
                      wait_s: float = 0.3) -> duckdb.DuckDBPyConnection:
    """Open the published warehouse read-only, retrying briefly while a writer holds the lock."""
    db_path = Path(db_path or paths().live_db)
    if not db_path.exists():
        raise WarehouseMissing(f"no warehouse at {db_path}; run `wfh refresh` first")
    for attempt in range(attempts):
        try:
            return duckdb.connect(str(db_path), read_only=True)
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(wait_s)
    raise AssertionError("unreachable")


def prepare_build(full: bool) -> Path:
    """Start a build file: a copy of the live warehouse (incremental) or an empty one (full)."""
    live, build = paths().live_db, paths().build_db
    build.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if live.exists() and not full:
        shutil.copyfile(live, build)
    return build


def publish(build: Path | None = None) -> Path:
    """Atomically replace the live warehouse with the finished build file."""
    build = Path(build or paths().build_db)
    live = paths().live_db
    with duckdb.connect(str(build)) as con:
        con.sql("checkpoint")
    wal = build.with_name(build.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint; refusing to publish a partial file")
    os.replace(build, live)
    return live


def discard_build(build: Path | None = None) -> None:
    """Throw away a failed build; the live warehouse is untouched."""
    build = Path(build or paths().build_db)
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)


# --- run records -----------------------------------------------------------------------------
# Every run (failed ones too) is appended to warehouse/run_log.jsonl; each build loads the whole log
# into ops.refresh_runs, so the published warehouse also shows the runs that failed before it.

RUN_COLUMNS = ("run_id", "started_at", "finished_at", "status", "source_versions",
               "rows_per_mart", "quality_status")


def run_log_path() -> Path:
    return paths().warehouse / "run_log.jsonl"


def append_run_record(record: dict) -> None:
    path = run_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    row = {key: record.get(key) for key in RUN_COLUMNS}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, default=str) + "\n")


def read_run_log() -> list[dict]:
    path = run_log_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ensure_ops_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ops tables the marts read (run records and quality results)."""
    con.sql("create schema if not exists ops")
    con.sql("""
        create table if not exists ops.refresh_runs (
            run_id varchar, started_at timestamptz, finished_at timestamptz, status varchar,
            source_versions varchar, rows_per_mart varchar, quality_status varchar)""")
    con.sql("""
        create table if not exists ops.quality_results (
            run_id varchar, run_at timestamptz, checkpoint varchar, suite varchar,
            expectation varchar, column_name varchar, success boolean, observed_value varchar,
            severity varchar)""")


def load_run_log(con: duckdb.DuckDBPyConnection, current: dict | None = None) -> None:
    """Replace ops.refresh_runs with the run log, plus the run being built (if given)."""
    ensure_ops_schema(con)
    rows = read_run_log() + ([current] if current else [])
    con.sql("delete from ops.refresh_runs")
    for row in rows:
        con.execute("insert into ops.refresh_runs values (?, ?, ?, ?, ?, ?, ?)",
                    [_as_text(row.get(k)) if k in ("source_versions", "rows_per_mart") else row.get(k)
                     for k in RUN_COLUMNS])


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
