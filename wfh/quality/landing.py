"""Gate 1, before dbt: the landing checks, derived from the landing contracts (``wfh/contracts.py``).

Per landing table the contract gives the columns (plus ``_loaded_at``), the row count of the landed
version and the key; ``RULES`` adds the value rules the contract does not state (vocabularies,
patterns, ranges). Then the cross-table checks (each query returns the offending rows) and the
findings (known quirks of a source or of the report, counted, never failed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from wfh.contracts import LOADED_AT, TableContract, contracts
from wfh.quality.checks import (
    WARNING,
    Check,
    Finding,
    between,
    columns_are,
    cross_table_checks,
    findings,
    in_set,
    matches,
    not_null,
    row_count_in_range,
    table_check,
    unique,
)

GATE = "landing"
HERE = "wfh/quality/landing.py"
NON_EMPTY = (1, None)
# Tables that may hold no rows (a cycle without findings).
MAY_BE_EMPTY = {("cycles", "findings")}

STANDARD_STATUSES = (
    "Approved for delivery",
    "Retired",
    "In development",
    "Withdrawn",
    "Proposal in development",
    "PotentialStandard",
)
ESCO_SKILL_TYPES = ("skill/competence", "knowledge", "")
ESCO_REUSE_LEVELS = ("sector-specific", "cross-sector", "occupation-specific", "transversal", "")
ESCO_RELATION_TYPES = ("essential", "optional")
SKILL_COLLECTIONS = ("digital", "green", "transversal", "digcomp", "language", "research")
KSB_TYPES = ("knowledge", "skill", "behaviour")
ONET_SOC_CODE = r"^\d{2}-\d{4}\.\d{2}$"

# Value rules per landing table, beyond the contract's columns, row count and key.
RULES: dict[tuple[str, str], Callable[[], list]] = {
    ("skills_england", "standards"): lambda: [
        matches("reference_number", r"^ST\d{4}$"),
        not_null("version"),
        not_null("title"),
        in_set("status", STANDARD_STATUSES),
        between("level", 0, 7),  # 0: two withdrawn ST0780 records carry level 0 in the source
        unique("record_index"),
    ],
    ("skills_england", "duties"): lambda: [
        not_null("duty_id"),
        not_null("duty_detail"),
        unique("reference_number", "version", "duty_number"),
        between("duty_number", 1, 1000),
    ],
    ("skills_england", "ksb_items"): lambda: [
        in_set("ksb_type", KSB_TYPES),
        matches("ksb_code", r"^[KSB][0-9]+$"),
        not_null("ksb_id"),
        not_null("detail", WARNING),
    ],
    ("skills_england", "duty_ksb_links"): lambda: [in_set("ksb_type", KSB_TYPES), not_null("ksb_id")],
    ("esco", "occupations"): lambda: [
        not_null("concept_uri"),
        not_null("preferred_label"),
        matches("isco_group", r"^\d{4}$"),
    ],
    ("esco", "skills"): lambda: [
        not_null("concept_uri"),
        not_null("preferred_label"),
        in_set("skill_type", ESCO_SKILL_TYPES),
        in_set("reuse_level", ESCO_REUSE_LEVELS),
    ],
    ("esco", "occupation_skill_relations"): lambda: [
        in_set("relation_type", ESCO_RELATION_TYPES),
        in_set("skill_type", ESCO_SKILL_TYPES),
    ],
    ("esco", "isco_groups"): lambda: [unique("code")],
    ("esco", "skills_hierarchy"): lambda: [not_null("level_0_uri")],
    ("esco", "skill_skill_relations"): lambda: [in_set("relation_type", ESCO_RELATION_TYPES)],
    ("esco", "skill_collection_members"): lambda: [in_set("collection", SKILL_COLLECTIONS)],
    ("esco", "occupation_collection_members"): lambda: [in_set("collection", ["research"])],
    ("onet", "occupation_data"): lambda: [matches("onet_soc_code", ONET_SOC_CODE), not_null("title")],
    ("onet", "task_statements"): lambda: [not_null("task")],
    ("onet", "job_zones"): lambda: [between("job_zone", 1, 5)],
    ("esco_onet_crosswalk", "crosswalk"): lambda: [
        in_set("code_kind", ["esco_occupation", "isco_group"]),
        matches("onet_soc_code", ONET_SOC_CODE),
    ],
    ("cycles", "capabilities"): lambda: [not_null("statement")],
    ("cycles", "fops"): lambda: [not_null("name")],
    ("cycles", "fop_capability_proficiency"): lambda: [not_null("proficiency"), between("proficiency", 1, 3)],
    ("cycles", "tag_frequencies"): lambda: [in_set("tag_type", ["knowledge", "skill"])],
    ("cycles", "findings"): lambda: [in_set("severity", ["warning", "info"])],
}


def _release_rule(table: TableContract, version: str | None) -> list:
    """O*NET rows carry the release of their file: the contract's, else the source version."""
    if "onet_release" not in table.columns:
        return []
    return [in_set("onet_release", [table.release or version])]


def _table_check(table: TableContract, version: str | None) -> Check:
    """Columns, row count and key from the contract, then the table's value rules."""

    def expectations() -> list:
        found = [columns_are(*table.columns, LOADED_AT)]
        if (table.source, table.name) not in MAY_BE_EMPTY:
            found.append(row_count_in_range())
        if table.key:
            found.append(unique(*table.key))
        return found + _release_rule(table, version) + RULES.get((table.source, table.name), list)()

    return table_check(GATE, table.source, table.name, expectations, HERE)


def landing_checks() -> list[Check]:
    """Every landing check: the inventory, one per contract table, then the cross-table ones."""
    g = GATE
    checks = [
        Check(
            g, "inventory", None, lambda: [in_set("present", [True]), in_set("row_counts_known", [True], WARNING)], HERE
        )
    ]
    for source in contracts().values():
        checks += [_table_check(table, source.version) for table in source.tables.values()]
    return checks + cross_table_checks(GATE)


def landing_findings() -> list[Finding]:
    """Known quirks of the sources and of the report (``sql/landing/findings/``), counted, never failed."""
    return findings(GATE)


def landing_version(landing_dir: Path, source: str) -> str | None:
    """The landed version of a source: the folder its ``current`` link points to."""
    link = Path(landing_dir) / source / "current"
    return link.resolve().name if link.exists() else None


def row_count_range(source: str, version: str | None, table: str) -> tuple[int, int | None]:
    """The expected row range of a landing table: the contract's count when the landed version is
    the contract's version, else just non-empty."""
    found = contracts().get(source)
    if found is None or found.version is None or found.version != version or table not in found.tables:
        return NON_EMPTY
    rows = found.tables[table].rows
    return (rows, rows) if rows is not None else NON_EMPTY


def landing_connection(landing_dir: Path) -> tuple[duckdb.DuckDBPyConnection, pd.DataFrame, dict[str, dict]]:
    """In-memory DuckDB with a view ``<source>.<table>`` per landed Parquet; the inventory; ranges."""
    con = duckdb.connect()
    inventory, parameters = [], {}
    for source, found in contracts().items():
        version = landing_version(landing_dir, source)
        con.sql(f'create schema "{source}"')
        for table in found.tables:
            path = landing_dir / source / "current" / f"{table}.parquet"
            if path.is_file():
                literal = str(path).replace("'", "''")
                con.sql(f'create view "{source}"."{table}" as select * from read_parquet(\'{literal}\')')
            inventory.append(
                {
                    "table_key": f"{source}.{table}",
                    "version": version,
                    "present": path.is_file(),
                    "row_counts_known": found.version is None or version == found.version,
                }
            )
            low, high = row_count_range(source, version, table)
            parameters[f"landing.{source}.{table}"] = {"min_rows": low, "max_rows": high}
    return con, pd.DataFrame(inventory), parameters
