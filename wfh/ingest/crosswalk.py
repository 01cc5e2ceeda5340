"""The official ESCO -> O*NET-SOC 2019 crosswalk (O*NET Resource Center's ``ESCO_to_ONET-SOC.xlsx``).

The crosswalk's first column mixes ESCO occupation codes (``2654.1.7``, with a dot) and ISCO-08 group
codes (``1120``, digits only). ESCO codes are resolved to concept URIs through ESCO's occupations
table: by code, and, for the few occupations ESCO re-coded between v1.1.0 (used by the crosswalk) and
v1.1.1, by their exact preferred label. ``uri_resolved_by`` says which ('code' | 'label'); codes that
resolve neither way keep a null URI (flagged, not dropped).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from wfh.contracts import contract
from wfh.errors import InputError
from wfh.ingest.common import check_columns, check_not_null, check_unique, read_table
from wfh.ingest.esco import read_file as read_esco_file

SOURCE = "esco_onet_crosswalk"
FILE = "ESCO_to_ONET-SOC.xlsx"
ESCO_OCCUPATIONS = "occupations_en.csv"  # from the esco source
COLUMNS = ["ESCO/ISCO Code", "ESCO/ISCO Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title"]
NAMES = {
    "ESCO/ISCO Code": "esco_code",
    "ESCO/ISCO Title": "esco_title",
    "O*NET-SOC 2019 Code": "onet_soc_code",
    "O*NET-SOC 2019 Title": "onet_soc_title",
}
HEADER_ROW = 3  # 0-based: two title rows and a blank row come first; a footer note comes last
TABLES = {"crosswalk": [FILE, ESCO_OCCUPATIONS]}


def read_pairs(path: Path, name: str | None = None) -> pl.DataFrame:
    """The crosswalk rows from the publisher's workbook (or from a CSV export of its data rows)."""
    file = name or path.name
    if path.suffix == ".csv":
        return read_table(path, source=SOURCE, columns=COLUMNS, name=file)
    if not path.is_file():
        raise InputError("file is missing", source=SOURCE, file=file)
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0, read_options={"header_row": HEADER_ROW})
    except Exception as exc:  # fastexcel raises its own error types for corrupt workbooks
        raise InputError(f"cannot read the workbook ({exc})", source=SOURCE, file=file) from exc
    check_columns(frame.columns, COLUMNS, source=SOURCE, file=file)
    # The sheet ends with a footer note in the title column ("This publication uses ... ESCO v1.1.0").
    footer = (
        pl.col("ESCO/ISCO Code").is_null()
        & pl.col("O*NET-SOC 2019 Code").is_null()
        & pl.col("O*NET-SOC 2019 Title").is_null()
    )
    return frame.filter(~footer)


def parse(files: dict[str, Path]) -> dict[str, pl.DataFrame]:
    """The ``crosswalk`` landing table (without ``_loaded_at``); needs ESCO's ``occupations_en.csv``."""
    if FILE not in files:
        raise InputError("file is missing from the inputs", source=SOURCE, file=FILE)
    if ESCO_OCCUPATIONS not in files:
        raise InputError("ESCO occupations file is missing from the inputs", source="esco", file=ESCO_OCCUPATIONS)
    pairs = read_pairs(files[FILE], FILE).select(COLUMNS)
    check_not_null(pairs, ["ESCO/ISCO Code", "O*NET-SOC 2019 Code"], source=SOURCE, file=FILE)
    check_unique(pairs, ["ESCO/ISCO Code", "O*NET-SOC 2019 Code"], source=SOURCE, file=FILE)
    pairs = pairs.rename(NAMES).with_columns(pl.col("esco_code").str.strip_chars())
    bad = pairs.with_row_index().filter(~pl.col("esco_code").str.contains(r"^\d+(\.\d+)*$"))
    if bad.height:
        raise InputError(
            "code is neither an ESCO occupation code nor an ISCO group code",
            source=SOURCE,
            file=FILE,
            row=int(bad["index"][0]) + 1,
            field="ESCO/ISCO Code",
            value=bad["esco_code"][0],
        )

    occupations = read_esco_file(files, ESCO_OCCUPATIONS).select("concept_uri", "code", "preferred_label", "isco_group")
    by_code = occupations.select(esco_code="code", uri_by_code="concept_uri", isco_by_code="isco_group")
    unique_labels = occupations.filter(pl.col("preferred_label").is_unique())
    by_label = unique_labels.select(
        esco_title="preferred_label", uri_by_label="concept_uri", isco_by_label="isco_group"
    )
    is_esco = pl.col("esco_code").str.contains(r"\.")
    crosswalk = (
        pairs.join(by_code, on="esco_code", how="left", maintain_order="left")
        .join(by_label, on="esco_title", how="left", maintain_order="left")
        .with_columns(
            code_kind=pl.when(is_esco).then(pl.lit("esco_occupation")).otherwise(pl.lit("isco_group")),
            esco_occupation_uri=pl.when(is_esco).then(pl.coalesce("uri_by_code", "uri_by_label")),
            uri_resolved_by=pl.when(is_esco & pl.col("uri_by_code").is_not_null())
            .then(pl.lit("code"))
            .when(is_esco & pl.col("uri_by_label").is_not_null())
            .then(pl.lit("label")),
            isco_group_code=pl.when(is_esco)
            .then(pl.coalesce("isco_by_code", "isco_by_label", pl.col("esco_code").str.slice(0, 4)))
            .otherwise("esco_code"),
        )
        .select(contract(SOURCE).table("crosswalk").column_names)  # the landing contract's columns
    )
    if crosswalk.height != pairs.height:
        raise InputError("resolving ESCO codes changed the number of rows", source=SOURCE, file=FILE)
    return {"crosswalk": crosswalk}
