"""O*NET: the tab-separated text files of the source version, plus Skills and Knowledge from the
Excel files of an earlier release (``raw/sources.yml``: the version and each table's ``release``).

Columns are the snake_case headers (``O*NET-SOC Code`` -> ``onet_soc_code``); ``n/a`` becomes null;
every row carries ``onet_release``, the release of the file it comes from.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from wfh.contracts import contract
from wfh.errors import InputError
from wfh.ingest.common import cast_checked, check_columns, check_not_null, check_unique, read_table, rename_snake

SOURCE = "onet"
_RATINGS = [
    "O*NET-SOC Code",
    "Title",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Scale Name",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Not Relevant",
    "Date",
    "Domain Source",
]


class Table:
    """One O*NET file: its header, key and types (its release is in the landing contract)."""

    def __init__(self, file: str, columns: list[str], key: list[str], types: dict[str, pl.DataType] | None = None):
        self.file, self.columns, self.key = file, columns, key
        self.types = types or {}


TABLE_SPECS: dict[str, Table] = {
    "occupation_data": Table("Occupation Data.txt", ["O*NET-SOC Code", "Title", "Description"], ["O*NET-SOC Code"]),
    "task_statements": Table(
        "Task Statements.txt",
        ["O*NET-SOC Code", "Task ID", "Task", "Task Type", "Incumbents Responding", "Date", "Domain Source"],
        ["Task ID"],
        {"task_id": pl.Int64, "incumbents_responding": pl.Int64},
    ),
    "dwa_reference": Table("DWA Reference.txt", ["Element ID", "IWA ID", "DWA ID", "DWA Title"], ["DWA ID"]),
    "iwa_reference": Table("IWA Reference.txt", ["Element ID", "IWA ID", "IWA Title"], ["IWA ID"]),
    "tasks_to_dwas": Table(
        "Tasks to DWAs.txt",
        ["O*NET-SOC Code", "Task ID", "DWA ID", "Date", "Domain Source"],
        ["O*NET-SOC Code", "Task ID", "DWA ID"],
        {"task_id": pl.Int64},
    ),
    "technology_skills": Table(
        "Technology Skills.txt",
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"],
        ["O*NET-SOC Code", "Example", "Commodity Code"],
        {"commodity_code": pl.Int64},
    ),
    "alternate_titles": Table(
        "Alternate Titles.txt",
        ["O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"],
        ["O*NET-SOC Code", "Alternate Title"],
    ),
    "job_zones": Table(
        "Job Zones.txt",
        ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"],
        ["O*NET-SOC Code"],
        {"job_zone": pl.Int64},
    ),
    "content_model_reference": Table(
        "Content Model Reference.txt", ["Element ID", "Element Name", "Description"], ["Element ID"]
    ),
    "scales_reference": Table(
        "Scales Reference.txt",
        ["Scale ID", "Scale Name", "Minimum", "Maximum"],
        ["Scale ID"],
        {"minimum": pl.Float64, "maximum": pl.Float64},
    ),
    "skills": Table("excel_29_3/Skills.xlsx", _RATINGS, ["O*NET-SOC Code", "Element ID", "Scale ID"]),
    "knowledge": Table("excel_29_3/Knowledge.xlsx", _RATINGS, ["O*NET-SOC Code", "Element ID", "Scale ID"]),
}
_RATING_TYPES = {
    "data_value": pl.Float64,
    "n": pl.Int64,
    "standard_error": pl.Float64,
    "lower_ci_bound": pl.Float64,
    "upper_ci_bound": pl.Float64,
}
for _name in ("skills", "knowledge"):
    TABLE_SPECS[_name].types = _RATING_TYPES

TABLES: dict[str, list[str]] = {table: [spec.file] for table, spec in TABLE_SPECS.items()}
FILES = [spec.file for spec in TABLE_SPECS.values()]


def _read_excel(path: Path, spec: Table) -> pl.DataFrame:
    """The single sheet of an O*NET workbook, every cell read as text (types are cast afterwards)."""
    if not path.is_file():
        raise InputError("file is missing", source=SOURCE, file=spec.file)
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except Exception as exc:  # fastexcel raises its own error types for corrupt workbooks
        raise InputError(f"cannot read the workbook ({exc})", source=SOURCE, file=spec.file) from exc
    check_columns(frame.columns, spec.columns, source=SOURCE, file=spec.file)
    return frame


def read_file(files: dict[str, Path], table: str) -> pl.DataFrame:
    """One O*NET table: header, key and types checked, snake_case columns, ``onet_release`` added."""
    spec = TABLE_SPECS[table]
    if spec.file not in files:
        raise InputError("file is missing from the inputs", source=SOURCE, file=spec.file)
    path = files[spec.file]
    if spec.file.endswith(".xlsx"):
        frame = _read_excel(path, spec)
    else:
        frame = read_table(
            path, source=SOURCE, columns=spec.columns, separator="\t", quote=False, null_values=["n/a"], name=spec.file
        )
    frame = frame.select(spec.columns)
    check_not_null(frame, spec.key, source=SOURCE, file=spec.file)
    check_unique(frame, spec.key, source=SOURCE, file=spec.file)
    frame = cast_checked(rename_snake(frame), spec.types, source=SOURCE, file=spec.file)
    return frame.with_columns(onet_release=pl.lit(release(table)))


def release(table: str) -> str:
    """The O*NET release a table's file comes from: its contract's ``release``, else the source version."""
    source = contract(SOURCE)
    return source.table(table).release or source.version


def parse(files: dict[str, Path]) -> dict[str, pl.DataFrame]:
    """Parse the O*NET files into the landing tables (without ``_loaded_at``)."""
    return {table: read_file(files, table) for table in TABLE_SPECS}
