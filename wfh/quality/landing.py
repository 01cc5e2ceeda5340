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
    in_set,
    matches,
    not_null,
    orphan_check,
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
    return checks + cross_table_checks()


def cross_table_checks() -> list[Check]:
    """Links between landing tables: each query returns the offending rows, which must be none."""
    g = GATE
    return [
        orphan_check(
            g,
            "duties_without_standard",
            """
            select d.reference_number, d.version, d.duty_id from skills_england.duties d
            anti join skills_england.standards s using (reference_number, version)""",
            "every duty belongs to a standard version",
            HERE,
        ),
        orphan_check(
            g,
            "ksb_items_without_standard",
            """
            select k.reference_number, k.version, k.ksb_id from skills_england.ksb_items k
            anti join skills_england.standards s using (reference_number, version)""",
            "every K/S/B item belongs to a standard version",
            HERE,
        ),
        orphan_check(
            g,
            "duty_ksb_links_without_duty",
            """
            select l.reference_number, l.version, l.duty_id from skills_england.duty_ksb_links l
            anti join skills_england.duties d using (reference_number, version, duty_id)""",
            "every duty-K/S/B link starts at a duty of the same standard version",
            HERE,
        ),
        orphan_check(
            g,
            "duty_ksb_links_with_wrong_code",
            """
            select l.reference_number, l.version, l.duty_id, l.ksb_id, l.ksb_code, k.ksb_code as item_code
            from skills_england.duty_ksb_links l
            left join skills_england.ksb_items k
              on k.reference_number = l.reference_number and k.version = l.version
             and k.ksb_type = l.ksb_type and k.ksb_id = l.ksb_id
            where l.ksb_code is distinct from k.ksb_code""",
            "a link's ksb_code is the code of its K/S/B item, and null exactly when the item "
            "is not among the standard version's items",
            HERE,
        ),
        orphan_check(
            g,
            "esco_relations_to_unknown_skill",
            """
            select r.occupation_uri, r.skill_uri from esco.occupation_skill_relations r
            anti join esco.skills s on s.concept_uri = r.skill_uri""",
            "every occupation-skill relation points at an ESCO skill",
            HERE,
        ),
        orphan_check(
            g,
            "esco_relations_to_unknown_occupation",
            """
            select r.occupation_uri, r.skill_uri, r.occupation_in_release
            from esco.occupation_skill_relations r
            left join esco.occupations o on o.concept_uri = r.occupation_uri
            where r.occupation_in_release is distinct from (o.concept_uri is not null)""",
            "every relation's occupation is in the release, except rows flagged "
            "occupation_in_release = false (the flag agrees with the occupations table)",
            HERE,
        ),
        orphan_check(
            g,
            "esco_skill_relations_to_unknown_skill",
            """
            select r.original_skill_uri, r.related_skill_uri from esco.skill_skill_relations r
            where r.original_skill_uri not in (select concept_uri from esco.skills)
               or r.related_skill_uri not in (select concept_uri from esco.skills)""",
            "both ends of every skill-skill relation are ESCO skills",
            HERE,
        ),
        orphan_check(
            g,
            "esco_collection_members_unknown",
            """
            select m.collection, m.concept_uri from esco.skill_collection_members m
            anti join esco.skills s using (concept_uri)
            union all
            select m.collection, m.concept_uri from esco.occupation_collection_members m
            anti join esco.occupations o using (concept_uri)""",
            "every collection member is an ESCO skill (or occupation)",
            HERE,
        ),
        orphan_check(
            g,
            "onet_tasks_without_occupation",
            """
            select t.onet_soc_code, t.task_id from onet.task_statements t
            anti join onet.occupation_data o using (onet_soc_code)""",
            "every O*NET task belongs to an O*NET occupation",
            HERE,
        ),
        orphan_check(
            g,
            "onet_task_dwas_unknown",
            """
            select l.onet_soc_code, l.task_id, l.dwa_id from onet.tasks_to_dwas l
            where (l.onet_soc_code, l.task_id) not in (select onet_soc_code, task_id from onet.task_statements)
               or l.dwa_id not in (select dwa_id from onet.dwa_reference)""",
            "every task-DWA link joins an O*NET task and a DWA",
            HERE,
        ),
        orphan_check(
            g,
            "crosswalk_uri_not_in_esco",
            """
            select c.esco_code, c.esco_occupation_uri from esco_onet_crosswalk.crosswalk c
            where c.esco_occupation_uri not in (select concept_uri from esco.occupations)""",
            "every resolved crosswalk ESCO URI is an occupation of the landed ESCO release",
            HERE,
        ),
        orphan_check(
            g,
            "fop_proficiency_unknown_fop_or_capability",
            """
            select p.cycle_id, p.fop_id, p.capability_id from cycles.fop_capability_proficiency p
            where (p.cycle_id, p.fop_id) not in (select cycle_id, fop_id from cycles.fops)
               or (p.cycle_id, p.capability_id) not in (select cycle_id, capability_id from cycles.capabilities)""",
            "every proficiency rating joins a FOP and a capability of its cycle",
            HERE,
        ),
        orphan_check(
            g,
            "capability_partners_unknown",
            """
            select p.cycle_id, p.capability_id, p.partner_id from cycles.capability_partners p
            where (p.cycle_id, p.capability_id) not in (select cycle_id, capability_id from cycles.capabilities)
               or (p.cycle_id, p.partner_id) not in (select cycle_id, partner_id from cycles.supply_chain_partners)""",
            "every capability-partner tag joins a capability and a partner of its cycle",
            HERE,
        ),
    ]


def landing_findings() -> list[Finding]:
    """Known quirks of the sources and of the report: counted and listed on every run, never failed."""
    g = GATE
    return [
        Finding(
            g,
            "report_findings",
            "select cycle_id || ':' || finding_id as finding_key from cycles.findings "
            "where severity = 'warning' order by all",
            "the report's own inconsistencies found by the extractor (cycles.findings, severity warning)",
        ),
        Finding(
            g,
            "options_with_repeated_id",
            """
            select reference_number, version, option_id, count(*) as times from skills_england.options
            group by all having count(*) > 1 order by all""",
            "an option id listed twice in one standard version (ST0363 v1.0: kept as published)",
        ),
        Finding(
            g,
            "duty_ksb_links_to_missing_items",
            """
            select l.reference_number, l.version, l.duty_id, l.ksb_type, l.ksb_id
            from skills_england.duty_ksb_links l where l.ksb_code is null""",
            "links to a K/S/B item the standard version does not list (kept, flagged by a null "
            "ksb_code; a quirk of the source)",
        ),
        Finding(
            g,
            "crosswalk_unknown_onet_code",
            """
            select c.esco_code, c.onet_soc_code from esco_onet_crosswalk.crosswalk c
            anti join onet.occupation_data o using (onet_soc_code)""",
            "crosswalk O*NET-SOC codes that are not occupations of the landed O*NET release",
        ),
        Finding(
            g,
            "crosswalk_esco_code_unresolved",
            """
            select c.esco_code, c.esco_title from esco_onet_crosswalk.crosswalk c
            where c.code_kind = 'esco_occupation' and c.esco_occupation_uri is null""",
            "crosswalk ESCO codes (from ESCO 1.1.0) that match no occupation of the landed release",
        ),
        Finding(
            g,
            "fops_without_proficiency",
            """
            select f.cycle_id, f.fop_id, f.name from cycles.fops f
            anti join cycles.fop_capability_proficiency p using (cycle_id, fop_id)""",
            "FOPs the report rates on no capability (the report's own gap)",
        ),
    ]


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
