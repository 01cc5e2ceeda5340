"""The landing contracts: for every source, each landing table's columns, types, key and row count.

Reference sources state theirs next to their version in ``raw/sources.yml`` (``landing:``), so a
version bump is one edit of the manifest plus data; the cycle bundles state theirs in
``wfh/cycles/schema.py`` (their version is a hash of the bundles, their row counts vary). Everything
else derives from or is checked against these contracts:

- the parsers' output (``check_tables``, run by ``wfh.ingest.load_source`` before anything lands;
  the Skills England frames and the O*NET releases are built from the contract),
- the GX landing suites (columns, row counts, keys: ``wfh/quality/landing.py``),
- every dbt staging ``__sources.yml`` (``tests/contracts/test_landing_contracts.py``),
- the landing section of ``docs/data-dictionary.md`` (generated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from wfh.errors import InputError

LOADED_AT = "_loaded_at"  # added to every landed table by wfh.landing

_TYPES: dict[str, pl.DataType] = {
    "String": pl.String(),
    "Int64": pl.Int64(),
    "Float64": pl.Float64(),
    "Boolean": pl.Boolean(),
    "Date": pl.Date(),
    "Datetime": pl.Datetime("us", "UTC"),
}
_LIST = re.compile(r"^List\((\w+)\)$")


def polars_type(name: str) -> pl.DataType:
    """``String``, ``Int64``, ``List(String)``, ... as a Polars type."""
    inner = _LIST.match(name)
    if inner:
        return pl.List(polars_type(inner.group(1)))
    if name not in _TYPES:
        raise ValueError(f"unknown column type {name!r} in a landing contract (known: {', '.join(_TYPES)})")
    return _TYPES[name]


def type_name(dtype: pl.DataType) -> str:
    """The contract's name of a Polars type (the inverse of :func:`polars_type`)."""
    if isinstance(dtype, pl.List):
        return f"List({type_name(dtype.inner)})"
    return "Datetime" if isinstance(dtype, pl.Datetime) else str(dtype)


@dataclass(frozen=True)
class TableContract:
    """One landing table: columns in order with their types, the key, the expected rows."""

    source: str
    name: str
    columns: dict[str, pl.DataType]
    key: tuple[str, ...] = ()
    rows: int | None = None  # None: varies (cycle bundles); the gate then only asks for rows
    release: str | None = None  # O*NET: the release of the table's files when not the source version

    @property
    def column_names(self) -> list[str]:
        return list(self.columns)

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.columns)


@dataclass(frozen=True)
class SourceContract:
    source: str
    version: str | None  # None: derived from the data (cycles)
    tables: dict[str, TableContract]

    def table(self, name: str) -> TableContract:
        return self.tables[name]

    def schema(self, name: str) -> dict[str, pl.DataType]:
        return dict(self.tables[name].columns)


def _from_manifest_entry(entry: dict) -> SourceContract:
    source = entry["id"]
    tables = {}
    for name, spec in (entry.get("landing") or {}).items():
        tables[name] = TableContract(
            source=source,
            name=name,
            columns={c: polars_type(t) for c, t in spec["columns"].items()},
            key=tuple(spec.get("key") or ()),
            rows=spec.get("rows"),
            release=spec.get("release"),
        )
    return SourceContract(source, str(entry["version"]), tables)


def _cycles_contract() -> SourceContract:
    from wfh.cycles.schema import CSV_TABLES, CYCLES_SCHEMA

    tables = {"cycles": TableContract("cycles", "cycles", dict(CYCLES_SCHEMA), key=("cycle_id",))}
    for table in CSV_TABLES:
        key = ("cycle_id", *table.key) if table.key else ()
        tables[table.name] = TableContract("cycles", table.name, table.schema(), key=key)
    return SourceContract("cycles", None, tables)


CYCLES = "cycles"


@cache
def _contracts(manifest: Path) -> dict[str, SourceContract]:
    from wfh.sources import load_manifest

    entries = [e for e in load_manifest(manifest)["sources"] if e.get("landing")]
    contracts = {e["id"]: _from_manifest_entry(e) for e in entries}
    contracts[CYCLES] = _cycles_contract()
    return contracts


def contracts(manifest: Path | None = None) -> dict[str, SourceContract]:
    """Every landing contract by source id (reference sources in manifest order, then cycles)."""
    from wfh.settings import paths

    return _contracts(Path(manifest or paths().manifest).resolve())


def contract(source: str, manifest: Path | None = None) -> SourceContract:
    return contracts(manifest)[source]


def landing_tables(manifest: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Source -> its landing tables, in contract order."""
    return {source: tuple(c.tables) for source, c in contracts(manifest).items()}


def check_tables(source: str, tables: dict[str, pl.DataFrame], manifest: Path | None = None) -> None:
    """The parser's frames are exactly the contract's tables, columns (in order) and types.

    A mismatch is a parser or contract defect, reported as an InputError naming table and column.
    """
    wanted = contract(source, manifest).tables
    if list(tables) != list(wanted):
        raise InputError(
            f"landing tables {list(tables)} differ from the contract's {list(wanted)}",
            source=source,
            file="raw/sources.yml",
        )
    for name, frame in tables.items():
        expected = wanted[name].columns
        if list(frame.columns) != list(expected):
            missing = [c for c in expected if c not in frame.columns]
            extra = [c for c in frame.columns if c not in expected]
            raise InputError(
                f"columns differ from the landing contract (missing {missing}, extra {extra}, or another order)",
                source=source,
                file=f"{name}.parquet",
            )
        for column, dtype in expected.items():
            if frame.schema[column] != dtype:
                raise InputError(
                    f"type {type_name(frame.schema[column])} differs from the landing contract's {type_name(dtype)}",
                    source=source,
                    file=f"{name}.parquet",
                    field=column,
                )
