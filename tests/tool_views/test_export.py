"""`wfh export` (wfh.export.export_marts) on a real refresh of the subset."""

from __future__ import annotations

import duckdb
import openpyxl
import polars as pl
import pytest

from wfh.errors import InputError
from wfh.export import export_marts, readable_header


@pytest.fixture(scope="module")
def db(published_warehouse):
    return published_warehouse / "wfh.duckdb"


def _mart_columns(db) -> dict[str, set[str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql(
            "select table_name, column_name from information_schema.columns where table_schema = 'marts'"
        ).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    return columns


def test_parquet_and_csv_write_every_mart_with_all_rows(db, tmp_path):
    marts = _mart_columns(db)
    parquet = export_marts(db, "parquet", tmp_path / "parquet")
    csv = export_marts(db, "csv", tmp_path / "csv", mart="fop_standard_fit")
    assert sorted(path.stem for path in parquet) == sorted(marts)
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.sql("select count(*) from marts.fop_standard_fit").fetchall()[0][0]
    assert pl.read_parquet(tmp_path / "parquet" / "fop_standard_fit.parquet").height == expected
    assert [path.name for path in csv] == ["fop_standard_fit.csv"]
    assert pl.read_csv(csv[0]).height == expected


def test_excel_has_one_sheet_per_mart_of_the_cycle_with_readable_headers(db, tmp_path):
    cycle_marts = sorted(name for name, columns in _mart_columns(db).items() if "cycle_id" in columns)
    [workbook_path] = export_marts(db, "xlsx", tmp_path, cycle="atmp-poc-2026")
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    assert workbook.sheetnames == cycle_marts
    header = [cell.value for cell in next(workbook["fop_priorities"].iter_rows(max_row=1))]
    assert header[:4] == ["Cycle ID", "FOP key", "FOP name", "Is priority"]
    rows = workbook["capability_provision_status"].max_row
    assert rows == 54 + 1


def test_readable_header():
    assert readable_header("fop_capabilities_matched") == "FOP capabilities matched"
    assert readable_header("onet_dwas") == "O*NET DWAs"


def test_unknown_mart_or_cycle_is_a_clear_error(db, tmp_path):
    with pytest.raises(InputError, match="no mart named 'fop_nope'"):
        export_marts(db, "csv", tmp_path, mart="fop_nope")
    with pytest.raises(InputError, match="no cycle 'nope'"):
        export_marts(db, "csv", tmp_path, cycle="nope")
    with pytest.raises(InputError, match="unknown export format"):
        export_marts(db, "json", tmp_path)
