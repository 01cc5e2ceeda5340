"""`wfh export`: write the published marts as CSV, Excel or Parquet for users who download the data.

CSV and Parquet write one file per mart; Excel writes one workbook with one sheet per mart and
readable column headers ("fop_capabilities_matched" -> "FOP capabilities matched"). With a cycle,
the marts that have a ``cycle_id`` column are filtered to it and the others (standards, ESCO,
O*NET, run records) are left out unless named with ``mart``. The warehouse is opened read-only.

CSV cells are spreadsheet-safe: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would run as a formula when the file is opened in a spreadsheet (``=HYPERLINK(...)`` from a
bundle), so it is written with a leading apostrophe (``'=HYPERLINK(...)``), as OWASP recommends for
CSV injection. Numbers stay numbers; Parquet keeps the values as they are; the Excel workbook writes
every text as a string (never a formula).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter

from wfh.errors import InputError
from wfh.warehouse import connect_read_only

MART_SCHEMA = "marts"
FORMATS = ("csv", "xlsx", "parquet")
EXCEL_MAX_ROWS = 1_048_575  # one row is the header
EXCEL_MAX_CELL_CHARS = 32_767
EXCEL_MAX_SHEET_NAME = 31

# Words written in capitals (or their usual spelling) in readable headers.
_WORD_SPELLING = {
    "id": "ID",
    "fop": "FOP",
    "fops": "FOPs",
    "ksb": "KSB",
    "ksbs": "KSBs",
    "esco": "ESCO",
    "onet": "O*NET",
    "dwa": "DWA",
    "dwas": "DWAs",
    "iwa": "IWA",
    "uri": "URI",
    "url": "URL",
    "isco": "ISCO",
    "soc": "SOC",
    "lars": "LARS",
    "sha256": "SHA-256",
    "gx": "GX",
}


def readable_header(column: str) -> str:
    """A column name as a spreadsheet header: words split, first capitalised, acronyms kept."""
    words = [_WORD_SPELLING.get(word, word) for word in column.split("_") if word]
    if words and words[0] == words[0].lower():
        words[0] = words[0].capitalize()
    return " ".join(words)


def export_marts(
    db_path: Path, fmt: str, output_dir: Path, mart: str | None = None, cycle: str | None = None
) -> list[Path]:
    """Write the marts (or one mart) of the warehouse at ``db_path``; return the files written."""
    if fmt not in FORMATS:
        raise InputError(
            f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}", field="format", value=fmt
        )
    frames = _read_marts(Path(db_path), mart, cycle)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    suffix = f"-{cycle}" if cycle else ""
    if fmt == "xlsx":
        name = mart or "wfh-marts"
        return [_write_workbook(frames, output_dir / f"{name}{suffix}.xlsx")]
    written = []
    for name, frame in frames.items():
        path = output_dir / f"{name}{suffix}.{fmt}"
        if fmt == "csv":
            neutralise_formulas(_flatten_nested(frame)).write_csv(path)
        else:
            frame.write_parquet(path)
        written.append(path)
    return written


def _read_marts(db_path: Path, mart: str | None, cycle: str | None) -> dict[str, pl.DataFrame]:
    """The marts to export, in name order, filtered to the cycle where they have one."""
    with connect_read_only(db_path) as con:
        columns: dict[str, set[str]] = {}
        for table, column in con.sql(
            "select table_name, column_name from information_schema.columns where table_schema = ? order by table_name",
            params=[MART_SCHEMA],
        ).fetchall():
            columns.setdefault(table, set()).add(column)
        if mart is not None and mart not in columns:
            raise InputError(
                f"no mart named {mart!r}; available: {', '.join(sorted(columns))}", field="mart", value=mart
            )
        if cycle is not None:
            known = {row[0] for row in con.sql(f"select distinct cycle_id from {MART_SCHEMA}.dim_cycle").fetchall()}
            if cycle not in known:
                raise InputError(
                    f"no cycle {cycle!r} in the warehouse; available: {', '.join(sorted(known)) or 'none'}",
                    field="cycle",
                    value=cycle,
                )
        names = [mart] if mart else sorted(columns)
        frames = {}
        for name in names:
            query = f'select * from {MART_SCHEMA}."{name}"'
            if cycle is not None and "cycle_id" in columns[name]:
                frames[name] = con.sql(query + " where cycle_id = ?", params=[cycle]).pl()
            elif cycle is None or mart is not None:
                frames[name] = con.sql(query).pl()
        return frames


def _flatten_nested(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists become '; '-joined text and structs JSON, so flat formats can hold every mart."""
    changes = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, (pl.List, pl.Array)):
            changes.append(pl.col(name).cast(pl.List(pl.String)).list.join("; ").alias(name))
        elif isinstance(dtype, pl.Struct):
            changes.append(pl.col(name).struct.json_encode().alias(name))
    return frame.with_columns(changes) if changes else frame


FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection)."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def _for_excel(frame: pl.DataFrame) -> pl.DataFrame:
    """Flat, time-zone-free, within Excel's cell limits, with readable headers."""
    frame = _flatten_nested(frame)
    changes = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            changes.append(pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None))
        elif dtype == pl.String:
            changes.append(pl.col(name).str.slice(0, EXCEL_MAX_CELL_CHARS))
    if changes:
        frame = frame.with_columns(changes)
    return frame.rename({name: readable_header(name) for name in frame.columns})


def _sheet_names(marts: list[str]) -> dict[str, str]:
    """Each mart's sheet: its name, cut to Excel's 31 characters and kept unique."""
    names: dict[str, str] = {}
    for mart in marts:
        base = candidate = mart[:EXCEL_MAX_SHEET_NAME]
        number = 1
        while candidate in names.values():
            number += 1
            tail = f"~{number}"
            candidate = base[: EXCEL_MAX_SHEET_NAME - len(tail)] + tail
        names[mart] = candidate
    return names


def _write_workbook(frames: dict[str, pl.DataFrame], path: Path) -> Path:
    """One sheet per mart with a bold, frozen, filterable header row."""
    too_long = [name for name, frame in frames.items() if frame.height > EXCEL_MAX_ROWS]
    if too_long:
        raise InputError(
            f"mart {too_long[0]} has more rows than an Excel sheet holds; export it as csv or parquet",
            field="mart",
            value=too_long[0],
        )
    sheets = _sheet_names(list(frames))
    tmp = path.with_name(path.name + ".tmp")
    # Text stays text: no automatic hyperlinks (ESCO URIs) or formulas (a statement starting '=').
    options = {"strings_to_urls": False, "strings_to_formulas": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(tmp, options) as workbook:
        for mart, frame in frames.items():
            table = _for_excel(frame)
            widths = {column: min(60, max(12, len(column) + 2)) for column in table.columns}
            table.write_excel(
                workbook=workbook,
                worksheet=sheets[mart],
                table_style=None,
                header_format={"bold": True},
                autofilter=True,
                freeze_panes=(1, 0),
                column_widths=widths,
            )
    tmp.replace(path)
    return path
