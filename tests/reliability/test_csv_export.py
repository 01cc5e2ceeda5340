"""Case 8: `wfh export --format csv` writes a text cell that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return at the start) with a leading apostrophe; other text,
numbers and the Parquet export are left as they are."""

from __future__ import annotations

import csv

import polars as pl

from wfh.cli import main


def test_csv_export_neutralises_a_formula_from_a_bundle(tiny_warehouse, tmp_path, capsys):
    out = tmp_path / "csv"
    assert main(["export", "--format", "csv", "--output", str(out)]) == 0
    with (out / "capability_gaps.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["capability_id"]: row for row in csv.DictReader(handle)}
    assert rows["cap-2"]["statement"] == '\'=HYPERLINK("http://example.invalid","click")'
    assert rows["cap-1"]["statement"] == "Operate the bioreactor"
    assert rows["cap-1"]["best_similarity"] == "0.71"
    assert main(["export", "--format", "parquet", "--output", str(tmp_path / "pq")]) == 0
    kept = pl.read_parquet(tmp_path / "pq" / "capability_gaps.parquet")
    assert kept.filter(pl.col("capability_id") == "cap-2")["statement"][0].startswith("=HYPERLINK")


def test_every_formula_start_and_only_those():
    from wfh.export import neutralise_formulas

    frame = pl.DataFrame(
        {
            "text": ["=1+1", "+44 20", "-cmd", "@SUM(A1)", "\tx", "\rx", "a=b", "", None],
            "number": [-1, 2, 3, 4, 5, 6, 7, 8, 9],
        }
    )
    safe = neutralise_formulas(frame)
    assert safe["text"].to_list() == ["'=1+1", "'+44 20", "'-cmd", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "", None]
    assert safe["number"].to_list() == frame["number"].to_list()
