"""The cycle-bundle tables: columns, types and keys (the `cycles` landing contract in docs/architecture.md).

A bundle CSV holds the listed columns except ``cycle_id``, which comes from ``cycle.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Column:
    name: str
    dtype: type[pl.DataType] | pl.DataType
    nullable: bool = False
    allowed: tuple[str, ...] | None = None  # closed vocabulary
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # unique within a cycle
    optional: bool = False  # a bundle may leave the file out (read as no rows)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    def schema(self) -> dict[str, pl.DataType]:
        """Polars schema of the landed table, ``cycle_id`` first."""
        return {"cycle_id": pl.String, **{c.name: c.dtype for c in self.columns}}


def _c(name: str, dtype=pl.String, **kwargs) -> Column:
    return Column(name, dtype, **kwargs)


PROVENANCE = _c("provenance")

# The `cycles` table: one row per cycle, from each bundle's cycle.yml.
CYCLES_SCHEMA: dict[str, pl.DataType] = {
    "cycle_id": pl.String,
    "title": pl.String,
    "sponsor": pl.String,
    "centre_of_innovation": pl.String,
    "workshop_start": pl.Date,
    "workshop_end": pl.Date,
    "report_date": pl.Date,
    "source_document": pl.String,
}
CYCLE_COLUMNS = tuple(CYCLES_SCHEMA)

CSV_TABLES: tuple[Table, ...] = (
    Table(
        "capabilities",
        (
            _c("capability_id"),
            _c("statement"),
            _c("highlight_number", pl.Int64, nullable=True, minimum=1),
            _c("reason_to_highlight", nullable=True),
            _c("in_appendix_a", pl.Boolean),
            PROVENANCE,
        ),
        key=("capability_id",),
    ),
    Table(
        "themes",
        (
            _c("theme_id", pl.Int64, minimum=1),
            _c("name"),
            _c("description"),
            PROVENANCE,
        ),
        key=("theme_id",),
    ),
    Table(
        "supply_chain_partners",
        (
            _c("partner_id"),
            _c("partner_number", pl.Int64, minimum=1),
            _c("name"),
            _c("description"),
            PROVENANCE,
        ),
        key=("partner_id",),
    ),
    Table(
        "capability_partners",
        (
            _c("capability_id"),
            _c("partner_id"),
            PROVENANCE,
        ),
        key=("capability_id", "partner_id"),
    ),
    Table(
        "fops",
        (
            _c("fop_id"),
            _c("name"),
            _c("description", nullable=True),
            _c("is_priority", pl.Boolean),
            _c("role_level_id", pl.Int64, nullable=True),
            PROVENANCE,
        ),
        key=("fop_id",),
    ),
    Table(
        "fop_capability_proficiency",
        (
            _c("fop_id"),
            _c("capability_id"),
            _c("proficiency", pl.Int64, minimum=1, maximum=3),
            PROVENANCE,
        ),
        key=("fop_id", "capability_id"),
    ),
    Table(
        "role_levels",
        (
            _c("role_level_id", pl.Int64, minimum=1),
            _c("name"),
            _c("description"),
            PROVENANCE,
        ),
        key=("role_level_id",),
    ),
    Table(
        "tag_frequencies",
        (
            _c("tag_type", allowed=("knowledge", "skill")),
            _c("rank", pl.Int64, minimum=1),
            _c("tag"),
            _c("frequency", pl.Int64, minimum=0),
            PROVENANCE,
        ),
        key=("tag_type", "tag"),
    ),
    Table(
        "participants",
        (
            _c("category"),
            _c("organisation"),
            PROVENANCE,
        ),
    ),
    Table(
        "findings",
        (
            _c("finding_id"),
            _c("severity", allowed=("warning", "info")),
            _c("finding"),
            _c("detail", nullable=True),
            PROVENANCE,
        ),
        key=("finding_id",),
    ),
    # The report's glossary (term, definition); optional. Its acronym terms expand capability and FOP
    # texts before matching (wfh.matching.glossary).
    Table(
        "glossary",
        (
            _c("term"),
            _c("definition"),
            PROVENANCE,
        ),
        key=("term",),
        optional=True,
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in CSV_TABLES}

# References checked by the validator: (table, column) -> (referenced table, referenced column).
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("capability_partners", "capability_id"): ("capabilities", "capability_id"),
    ("capability_partners", "partner_id"): ("supply_chain_partners", "partner_id"),
    ("fop_capability_proficiency", "fop_id"): ("fops", "fop_id"),
    ("fop_capability_proficiency", "capability_id"): ("capabilities", "capability_id"),
    ("fops", "role_level_id"): ("role_levels", "role_level_id"),
}

# The landed tables, in the order of the contract.
BUNDLE_TABLES: tuple[str, ...] = ("cycles", *TABLES)


def empty_frames() -> dict[str, pl.DataFrame]:
    """Every landed table with no rows (the result for zero bundles)."""
    frames = {"cycles": pl.DataFrame(schema=CYCLES_SCHEMA)}
    frames.update({t.name: pl.DataFrame(schema=t.schema()) for t in CSV_TABLES})
    return frames
