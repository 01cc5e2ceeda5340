"""The DuckDB warehouse: read-only connections for readers, and safe publishing for the refresh.

A refresh never writes the live file. Holding the warehouse lock (one writer at a time, ``wfh.lock``),
it builds ``warehouse/.build/<run id>/wfh.duckdb`` (a copy of the live file, so unchanged models
carry over, or an empty file with ``--full``; the embedding cache is a file of its own,
``wfh.embeddings``, never copied) and, when every gate has passed, publishes that file, its own and
no other, with ``os.replace`` (compacted first when dbt's replaced tables left it a quarter empty).
A failed or killed run's build folder is removed (at the failure, or by the next writer), so a
partial build never fills the disk.

Readers get a fresh view per connection: each ``connect_read_only`` opens its own in-memory DuckDB
instance and attaches the file read-only, so a connection opened after a publish sees the new file
even while an older connection in the same process still reads the old one (DuckDB otherwise shares
one instance per path within a process). The connection cannot reach outside the warehouse: external
access is off and the configuration is locked (no ``COPY ... TO``, ``ATTACH``, ``INSTALL``, log files).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from wfh import lock as warehouse_lock
from wfh.errors import BuildError, InputError
from wfh.runlog import RUN_COLUMNS, append_run_record, read_run_log, run_log_path  # noqa: F401
from wfh.settings import paths


class WarehouseMissing(InputError):
    """No published warehouse yet."""


def _open_guarded(db_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    try:
        catalog = db_path.stem  # dbt writes three-part names with the catalog named after the file
        con.execute(f"attach '{_sql_text(str(db_path))}' as \"{catalog}\" (read_only)")
        con.execute(f'use "{catalog}"')
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def connect_read_only(
    db_path: Path | None = None, *, attempts: int = 10, wait_s: float = 0.3
) -> duckdb.DuckDBPyConnection:
    """Open the published warehouse read-only in a fresh, guarded instance, retrying briefly while
    a writer holds the lock."""
    db_path = Path(db_path or paths().live_db).resolve()
    if not db_path.exists():
        raise WarehouseMissing(f"no warehouse at {db_path}; run `wfh refresh` first")
    for attempt in range(attempts):
        try:
            return _open_guarded(db_path)
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(wait_s)
    raise AssertionError("unreachable")


# --- building and publishing -------------------------------------------------------------------


def build_root() -> Path:
    return paths().warehouse / ".build"


def build_path(run_id: str) -> Path:
    """The run's own build file (same basename as the live file: the catalog name comes from it)."""
    return build_root() / run_id / paths().live_db.name


def take_writer_lock(
    run_id: str, what: str = "refresh", say: Callable[[str], None] | None = None
) -> warehouse_lock.Lock:
    """Take the warehouse lock for a writer (``RefreshBusy`` if another one holds it); on taking it,
    clear what killed runs left behind. Release it with ``.release()`` (or use it in ``with``)."""
    held = warehouse_lock.acquire(run_id, what=what)
    try:
        if held.stale and say:
            say(
                f"cleared the stale lock of run {held.stale.get('run_id')} "
                f"(pid {held.stale.get('pid')}, started {held.stale.get('started_at')})"
            )
        removed = clear_stale_builds(keep=run_id)
        if removed and say:
            say(f"removed partial builds of earlier runs: {', '.join(p.name for p in removed)}")
    except BaseException:
        held.release()
        raise
    return held


def clear_stale_builds(keep: str | None = None) -> list[Path]:
    """Remove every build folder (or legacy build file) but ``keep``'s. Call only holding the lock."""
    root = build_root()
    removed = []
    if root.is_dir():
        for entry in sorted(root.iterdir()):
            if entry.name == keep:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def prepare_build(full: bool, run_id: str) -> Path:
    """Start the run's build file: a copy of the live warehouse (incremental) or none yet (full).

    Any failure, including an interrupt before the copy finishes, removes the partial copy; running
    out of space is a :class:`BuildError` naming the folder and the size needed.
    """
    live, build = paths().live_db, build_path(run_id)
    try:
        discard_build(build)
        build.parent.mkdir(parents=True, exist_ok=True)
        if live.exists() and not full:
            shutil.copyfile(live, build)
    except BaseException as error:
        discard_build(build)
        if isinstance(error, OSError):
            raise _build_error(error, build, live) from error
        raise
    return build


def _build_error(error: OSError, build: Path, live: Path) -> BuildError:
    why = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        need = live.stat().st_size / 1e6 if live.exists() else 0
        why = f"no space left on the device (the copy needs {need:.0f} MB); the partial copy was removed"
    return BuildError(f"{build.parent}: cannot write the build: {why}; the live warehouse is unchanged")


def publish(build: Path) -> Path:
    """Atomically replace the live warehouse with this run's finished build file (and no other)."""
    build = Path(build).resolve()
    root = build_root().resolve()
    if build.parent.parent != root or build.name != paths().live_db.name:
        raise ValueError(f"{build} is not a run's build file under {root}")
    if not build.exists():
        raise BuildError(f"{build}: the build file is gone; nothing was published")
    live = paths().live_db
    with duckdb.connect(str(build)) as con:
        con.sql("checkpoint")
    wal = build.with_name(build.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} still exists after checkpoint; refusing to publish a partial file")
    os.replace(build, live)
    shutil.rmtree(build.parent, ignore_errors=True)
    return live


def compact(build: Path, *, min_free_share: float = 0.25) -> bool:
    """Rewrite the build into a fresh file when a quarter or more of it is free blocks (tables that
    dbt replaced, a dropped table), so the published file is no larger than its content. Returns
    whether it did. DuckDB reuses free blocks but only gives back those at the end of the file.
    Best effort: when the fresh copy cannot be written (a full disk), the build stays as it was."""
    build = Path(build)
    with duckdb.connect(str(build)) as con:
        con.sql("checkpoint")
        total, free = con.sql("select total_blocks, free_blocks from pragma_database_size()").fetchall()[0]
    if not total or free / total < min_free_share:
        return False
    fresh = build.parent / "compact" / build.name
    try:
        fresh.parent.mkdir(exist_ok=True)
        with duckdb.connect(":memory:") as con:
            # the build keeps its catalog name (views name it), the fresh file gets another alias
            con.sql(f"attach '{_sql_text(str(build))}' as \"{build.stem}\" (read_only)")
            con.sql(f"attach '{_sql_text(str(fresh))}' as fresh_copy")
            con.sql(f'copy from database "{build.stem}" to fresh_copy')
            con.sql("detach fresh_copy")
        os.replace(fresh, build)
    except (duckdb.Error, OSError):
        return False
    finally:
        shutil.rmtree(fresh.parent, ignore_errors=True)
    return True


def discard_build(build: Path) -> None:
    """Throw away a run's build (its whole folder); the live warehouse is untouched."""
    build = Path(build)
    if build.parent.parent.resolve() == build_root().resolve():
        shutil.rmtree(build.parent, ignore_errors=True)
    else:
        for leftover in (build, build.with_name(build.name + ".wal")):
            leftover.unlink(missing_ok=True)


# --- run records -----------------------------------------------------------------------------
# Every run (failed ones too) is appended to warehouse/run_log.jsonl (wfh.runlog); each build loads the
# readable lines into ops.refresh_runs, so the published warehouse also shows the runs that failed
# before it.


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
        con.execute(
            "insert into ops.refresh_runs values (?, ?, ?, ?, ?, ?, ?)",
            [_as_text(row.get(k)) if k in ("source_versions", "rows_per_mart") else row.get(k) for k in RUN_COLUMNS],
        )


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def utc_now() -> datetime:
    return datetime.now(UTC)
