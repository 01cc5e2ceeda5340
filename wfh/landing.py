"""The landing zone writer: atomic Parquet per table, the ``current`` link per source, the load audit.

Layout (the contract with dbt, see docs/architecture.md)::

    <landing>/<source>/<version>/<table>.parquet    each written to a temporary name, then os.replace
    <landing>/<source>/current -> <version>          swapped atomically once the whole source is written
    <landing>/load_audit.parquet                     one row per (source, version, table, input file)

A load is skipped when the audit's latest load of that source and version read the same input files
with the same checksums and its Parquet files are still there (see :func:`is_up_to_date`).
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from wfh.settings import paths

AUDIT_FILE = "load_audit.parquet"
CURRENT = "current"
LOADED_AT = "_loaded_at"
AUDIT_SCHEMA = {
    "source": pl.String,
    "version": pl.String,
    "table_name": pl.String,
    "file": pl.String,
    "sha256": pl.String,
    "rows": pl.Int64,
    "loaded_at": pl.Datetime("us", "UTC"),
    "duration_s": pl.Float64,
}

# table -> {input file name: sha256}
TableInputs = dict[str, dict[str, str]]


@dataclass
class LoadResult:
    source: str
    version: str
    status: str  # 'loaded' | 'skipped'
    rows: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0


def landing_dir(landing: Path | None = None) -> Path:
    return Path(landing) if landing else paths().landing


def read_audit(landing: Path | None = None) -> pl.DataFrame:
    """The load audit (empty, with its schema, before the first load)."""
    path = landing_dir(landing) / AUDIT_FILE
    if not path.exists():
        return pl.DataFrame(schema=AUDIT_SCHEMA)
    return pl.read_parquet(path)


def table_path(source: str, version: str, table: str, landing: Path | None = None) -> Path:
    return landing_dir(landing) / source / version / f"{table}.parquet"


def current_version(source: str, landing: Path | None = None) -> str | None:
    """The version folder the source's ``current`` link points at, if any."""
    link = landing_dir(landing) / source / CURRENT
    return os.readlink(link) if link.is_symlink() else None


def _latest_load(audit: pl.DataFrame, source: str, version: str) -> pl.DataFrame:
    rows = audit.filter(pl.col("source") == source, pl.col("version") == version)
    if rows.is_empty():
        return rows
    return rows.filter(pl.col("loaded_at") == rows["loaded_at"].max())


def is_up_to_date(source: str, version: str, inputs: TableInputs, landing: Path | None = None) -> bool:
    """True when the last load of this source and version read exactly these inputs and is intact."""
    if current_version(source, landing) != version:
        return False
    last = _latest_load(read_audit(landing), source, version)
    loaded = {(r["table_name"], r["file"], r["sha256"]) for r in last.iter_rows(named=True)}
    wanted = {(table, file, sha) for table, files in inputs.items() for file, sha in files.items()}
    if loaded != wanted:
        return False
    return all(table_path(source, version, table, landing).is_file() for table in inputs)


def rows_landed(source: str, version: str, landing: Path | None = None) -> dict[str, int]:
    """Rows per table of the last load of a source version, from the audit."""
    last = _latest_load(read_audit(landing), source, version)
    return dict(last.group_by("table_name", maintain_order=True).agg(pl.col("rows").first()).iter_rows())


def skipped(source: str, version: str, started: float, landing: Path | None = None) -> LoadResult:
    """The result of a load that found its inputs already landed: the rows of that last load."""
    return LoadResult(
        source, version, "skipped", rows_landed(source, version, landing), round(time.perf_counter() - started, 3)
    )


@contextmanager
def _audit_lock(landing: Path):
    landing.mkdir(parents=True, exist_ok=True)
    with (landing / ".load_audit.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_parquet_atomic(frame: pl.DataFrame, path: Path) -> Path:
    """Write to a temporary name in the same folder; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    frame.write_parquet(temporary, compression="zstd", statistics=True)
    return temporary


def _swap_current(source_dir: Path, version: str) -> None:
    link = source_dir / CURRENT
    temporary = source_dir / f".{CURRENT}.tmp-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(version, temporary, target_is_directory=True)
    os.replace(temporary, link)


def land(
    source: str,
    version: str,
    tables: dict[str, pl.DataFrame],
    inputs: TableInputs,
    started: float,
    landing: Path | None = None,
) -> LoadResult:
    """Write a source's tables, point ``current`` at them and append the load to the audit.

    ``inputs`` names, per table, the files (with sha256) it was built from; ``started`` is the
    ``time.perf_counter()`` value when the fetch and parse began (``duration_s`` covers both).
    """
    landing = landing_dir(landing)
    missing = set(inputs) ^ set(tables)
    if missing:
        raise ValueError(f"tables and their inputs disagree for source {source}: {sorted(missing)}")
    loaded_at = datetime.now(UTC)
    stamp = pl.lit(loaded_at, dtype=pl.Datetime("us", "UTC")).alias(LOADED_AT)
    # Write every table under a temporary name first, then rename them all: a failure while writing
    # leaves the previous files (and the current link) as they were.
    written = {
        table: _write_parquet_atomic(frame.with_columns(stamp), table_path(source, version, table, landing))
        for table, frame in tables.items()
    }
    for table, temporary in written.items():
        os.replace(temporary, table_path(source, version, table, landing))
    _swap_current(landing / source, version)
    duration = round(time.perf_counter() - started, 3)
    rows = {table: frame.height for table, frame in tables.items()}
    audit_rows = pl.DataFrame(
        [
            {
                "source": source,
                "version": version,
                "table_name": table,
                "file": file,
                "sha256": sha,
                "rows": rows[table],
                "loaded_at": loaded_at,
                "duration_s": duration,
            }
            for table, files in inputs.items()
            for file, sha in files.items()
        ],
        schema=AUDIT_SCHEMA,
    )
    with _audit_lock(landing):
        audit = pl.concat([read_audit(landing), audit_rows])
        temporary = _write_parquet_atomic(audit, landing / AUDIT_FILE)
        os.replace(temporary, landing / AUDIT_FILE)
    return LoadResult(source, version, "loaded", rows, duration)
