"""Cycle bundles on disk: find them, write them, and read + validate them into the landed tables.

A bundle is a folder holding ``cycle.yml`` and one CSV per table of ``wfh.cycles.schema`` (see
docs/cycle-bundle.md). Every problem raises ``InputError`` naming the file, the line ("row") and value:
files must be UTF-8 (a bad byte is named by line and column), a bundle holds its own files (a symbolic
link is refused before anything is read through it), dates are checked ISO dates, and a cycle id may be
used once (by one bundle, or by one extracted report).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import polars as pl
import yaml

from wfh.cycles.schema import CSV_TABLES, CYCLE_COLUMNS, CYCLES_SCHEMA, REFERENCES, TABLES, Table, empty_frames
from wfh.errors import InputError
from wfh.settings import paths

CYCLE_FILE = "cycle.yml"
SOURCE = "cycles"
_CYCLE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def find_bundle_dirs() -> list[Path]:
    """Checked-in bundles (``raw/cycles/<id>/``) plus those under ``WFH_CYCLE_DIRS``.

    A ``WFH_CYCLE_DIRS`` entry may be a bundle itself or a folder of bundles. Folders whose name starts
    with ``_`` or ``.`` (such as ``_mappings``) are never bundles.
    """
    found: list[Path] = []
    for root in [paths().cycles, *paths().extra_cycle_dirs]:
        if (root / CYCLE_FILE).exists():
            found.append(root)
        elif root.is_dir():
            found.extend(
                sorted(p for p in root.iterdir() if p.is_dir() and p.name[0] not in "_." and (p / CYCLE_FILE).exists())
            )
    return list(dict.fromkeys(p.resolve() for p in found))


# --- writing -----------------------------------------------------------------------------------


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_bundle(out_dir: Path, cycle: dict, tables: dict[str, list[dict]]) -> Path:
    """Write ``cycle.yml`` and one CSV per table (columns in contract order, nulls as empty fields)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {"id": cycle["cycle_id"], **{k: cycle.get(k) for k in CYCLE_COLUMNS if k != "cycle_id"}}
    _atomic_write(out_dir / CYCLE_FILE, yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000))
    for table in CSV_TABLES:
        rows = tables.get(table.name, [])
        frame = (
            pl.DataFrame(rows, schema={c.name: c.dtype for c in table.columns}, orient="row")
            if rows
            else pl.DataFrame(schema={c.name: c.dtype for c in table.columns})
        )
        _atomic_write(out_dir / table.file_name, frame.write_csv())
    return out_dir


# --- reading and validating --------------------------------------------------------------------


def _error(problem: str, file: Path, row: int | None = None, field: str | None = None, value=None):
    return InputError(problem, source=SOURCE, file=str(file), row=row, field=field, value=value)


def _as_date(value, file: Path, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _error("not an ISO date (YYYY-MM-DD)", file, field=field, value=value) from None


class _TextDatesLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: ``2025-13-45`` stays text, so ``_as_date`` can name it."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_text(path: Path) -> str:
    """A bundle file's text: UTF-8 (a leading BOM is dropped), a bad byte named by line and column."""
    from wfh.ingest.common import check_utf8  # wfh.ingest imports this module

    return check_utf8(path.read_bytes(), source=SOURCE, file=str(path)).removeprefix("\ufeff")


def refuse_symlinks(bundle_dir: Path) -> None:
    """A bundle holds its own files: a symbolic link inside it (to a file or a folder) is refused
    without reading through it, so nothing outside the bundle is ever copied or echoed."""
    for folder, subfolders, files in os.walk(bundle_dir):
        for name in sorted(subfolders + files):
            path = Path(folder) / name
            if path.is_symlink():
                raise _error("is a symbolic link; a bundle must hold its own files (copy the file in)", path)


def read_cycle_file(bundle_dir: Path) -> dict:
    """``cycle.yml`` as one row of the ``cycles`` table."""
    path = bundle_dir / CYCLE_FILE
    if not path.exists():
        raise _error("missing bundle file", path)
    if path.is_symlink():
        raise _error("is a symbolic link; a bundle must hold its own files (copy the file in)", path)
    try:
        meta = yaml.load(_read_text(path), Loader=_TextDatesLoader) or {}
    except yaml.YAMLError as exc:
        raise _error(f"not valid YAML: {' '.join(str(exc).split())}", path) from None
    if not isinstance(meta, dict):
        raise _error("expected a mapping of keys to values", path)
    cycle_id = str(meta.get("id") or "").strip()
    if not _CYCLE_ID.match(cycle_id):
        raise _error("id must be lower-case letters, digits, '-' or '_'", path, field="id", value=cycle_id)
    row = {"cycle_id": cycle_id}
    for key in ("title", "sponsor", "centre_of_innovation", "source_document"):
        value = meta.get(key)
        row[key] = None if value in (None, "") else str(value).strip()
    if not row["title"]:
        raise _error("title must not be empty", path, field="title", value=meta.get("title"))
    for key in ("workshop_start", "workshop_end", "report_date"):
        row[key] = _as_date(meta.get(key), path, key)
    if row["workshop_start"] and row["workshop_end"] and row["workshop_start"] > row["workshop_end"]:
        raise _error(
            "workshop_start is after workshop_end", path, field="workshop_start", value=str(row["workshop_start"])
        )
    unknown = sorted(set(meta) - {"id", *CYCLE_COLUMNS})
    if unknown:
        raise _error("unknown key", path, field=unknown[0], value=meta[unknown[0]])
    return row


def _convert(raw: str, column, file: Path, line: int):
    """One CSV field as its typed value, or an InputError naming where it is."""
    text = raw.strip()
    if text == "":
        if column.nullable:
            return None
        raise _error(f"empty {column.name}", file, line, column.name, raw)
    if column.dtype == pl.Int64:
        if not re.fullmatch(r"-?\d+", text):
            raise _error(f"{column.name} is not a whole number", file, line, column.name, raw)
        value = int(text)
        if (column.minimum is not None and value < column.minimum) or (
            column.maximum is not None and value > column.maximum
        ):
            bounds = f"{column.minimum}..{column.maximum}" if column.maximum is not None else f">= {column.minimum}"
            raise _error(f"{column.name} {value} is outside {bounds}", file, line, column.name, raw)
        return value
    if column.dtype == pl.Boolean:
        if text.lower() not in ("true", "false"):
            raise _error(f"{column.name} must be true or false", file, line, column.name, raw)
        return text.lower() == "true"
    if column.allowed and text not in column.allowed:
        raise _error(f"{column.name} must be one of {', '.join(column.allowed)}", file, line, column.name, raw)
    return text


def _read_table(bundle_dir: Path, table: Table, cycle_id: str) -> tuple[pl.DataFrame, list[int]]:
    """One bundle CSV, typed and checked row by row; also returns each row's line number."""
    path = bundle_dir / table.file_name
    if not path.exists():
        if table.optional:
            schema = {"cycle_id": pl.String, **{c.name: c.dtype for c in table.columns}}
            return pl.DataFrame(schema=schema), []
        raise _error("missing bundle file", path)
    if path.is_symlink():
        raise _error("is a symbolic link; a bundle must hold its own files (copy the file in)", path)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        expected = table.column_names
        for name in expected:
            if name not in header:
                raise _error(f"missing column {name!r} (header: {', '.join(header) or 'empty'})", path, 1, name, name)
        for name in header:
            if name not in expected and name != "cycle_id":
                raise _error(f"unexpected column {name!r}", path, 1, name, name)
        if len(set(header)) != len(header):
            raise _error("a column is named twice", path, 1, value=",".join(header))
        rows, lines, seen = [], [], {}
        for record in reader:
            line = reader.line_num
            if not any(field.strip() for field in record):
                continue
            if len(record) != len(header):
                raise _error(
                    f"has {len(record)} fields, the header has {len(header)}", path, line, value=",".join(record)
                )
            fields = dict(zip(header, record, strict=False))
            if "cycle_id" in fields and fields["cycle_id"].strip() not in ("", cycle_id):
                raise _error(
                    f"cycle_id differs from cycle.yml id {cycle_id!r}", path, line, "cycle_id", fields["cycle_id"]
                )
            row = {c.name: _convert(fields[c.name], c, path, line) for c in table.columns}
            if table.key:
                key = tuple(row[k] for k in table.key)
                if key in seen:
                    raise _error(
                        f"duplicate {'/'.join(table.key)} (first on row {seen[key]})",
                        path,
                        line,
                        "/".join(table.key),
                        key[0] if len(key) == 1 else "/".join(map(str, key)),
                    )
                seen[key] = line
            rows.append(row)
            lines.append(line)
    except csv.Error as exc:
        raise _error(f"not readable as CSV: {exc}", path, reader.line_num) from None
    schema = {c.name: c.dtype for c in table.columns}
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return frame.select(pl.lit(cycle_id, pl.String).alias("cycle_id"), *table.column_names), lines


def read_bundle(bundle_dir: Path) -> dict[str, pl.DataFrame]:
    """One bundle, validated: types, ranges, vocabularies, unique keys and references between tables."""
    bundle_dir = Path(bundle_dir)
    if not bundle_dir.is_dir():
        raise _error("bundle folder does not exist", bundle_dir)
    refuse_symlinks(bundle_dir)
    cycle = read_cycle_file(bundle_dir)
    frames = {"cycles": pl.DataFrame([cycle], schema=CYCLES_SCHEMA, orient="row")}
    lines: dict[str, list[int]] = {}
    for table in CSV_TABLES:
        frames[table.name], lines[table.name] = _read_table(bundle_dir, table, cycle["cycle_id"])
    partner_numbers = frames["supply_chain_partners"]["partner_number"]
    if partner_numbers.is_duplicated().any():
        index = partner_numbers.is_duplicated().arg_true()[-1]
        raise _error(
            "duplicate partner_number",
            bundle_dir / TABLES["supply_chain_partners"].file_name,
            lines["supply_chain_partners"][index],
            "partner_number",
            partner_numbers[index],
        )
    for (table, column), (target, target_column) in REFERENCES.items():
        known = set(frames[target][target_column].drop_nulls().to_list())
        for index, value in enumerate(frames[table][column].to_list()):
            if value is not None and value not in known:
                raise _error(
                    f"{column} names no row of {target}.csv",
                    bundle_dir / TABLES[table].file_name,
                    lines[table][index],
                    column,
                    value,
                )
    return frames


def read_bundles(bundle_dirs: list[Path]) -> dict[str, pl.DataFrame]:
    """Validate each bundle and concatenate: every table of the ``cycles`` landing contract."""
    frames = empty_frames()
    first_seen: dict[str, Path] = {}
    for bundle_dir in bundle_dirs:
        bundle = read_bundle(Path(bundle_dir))
        cycle_id = bundle["cycles"]["cycle_id"][0]
        if cycle_id in first_seen:
            raise _error(
                f"cycle id also used by the bundle in {first_seen[cycle_id]}",
                Path(bundle_dir) / CYCLE_FILE,
                field="id",
                value=cycle_id,
            )
        first_seen[cycle_id] = Path(bundle_dir)
        for name, frame in bundle.items():
            frames[name] = pl.concat([frames[name], frame], how="vertical")
    return frames


def check_cycle_id_is_new(cycle_id: str, bundle_dir: Path) -> None:
    """Refuse a cycle id another bundle or an extracted report (``raw/sources.yml``) already uses, so
    ``wfh add-cycle`` fails now rather than the next refresh."""
    from wfh.sources import load_manifest

    path = Path(bundle_dir) / CYCLE_FILE
    for entry in load_manifest()["sources"]:
        if entry.get("kind") == "foresighting_report" and entry.get("cycle_id") == cycle_id:
            raise _error(
                f"cycle id is already used by the report of source {entry.get('id')} "
                "(raw/sources.yml); choose another id",
                path,
                field="id",
                value=cycle_id,
            )
    own = Path(bundle_dir).resolve()
    for other in find_bundle_dirs():
        if other == own:
            continue
        try:
            other_id = read_cycle_file(other)["cycle_id"]
        except InputError:
            continue  # a broken bundle is reported by the refresh that reads it
        if other_id == cycle_id:
            raise _error(
                f"cycle id is already used by the bundle in {other}; choose another id",
                path,
                field="id",
                value=cycle_id,
            )
