"""Quality gates: Great Expectations checks on the landing zone (before dbt) and the marts (before publishing).

Every check is a *frame* (a DuckDB query over the landing Parquet or the build file) plus the GX
expectations it must meet. Each check is one GX suite, validated by one checkpoint of the same name
in the file-backed GX project under ``expectations/``. The checks below are the one place they are
defined; ``sync_project`` writes them into that project (suites, validation definitions,
checkpoints), so the committed JSON always mirrors this module.

GX cannot validate DuckDB through its SQL datasource here (see docs/quality.md), and its single-table
expectations cannot join. So every frame is computed in DuckDB, converted to pandas and validated by
a pandas dataframe asset: a table check reads a whole table, a cross-table check (referential
integrity, coverage) is a query returning the offending rows, expected to return none.

Each expectation has a GX ``severity``: a failed ``critical`` expectation fails the gate (and raises
:class:`wfh.errors.QualityGateError` naming it); ``warning`` results are recorded and shown only.
Data Docs (static HTML) are rebuilt into ``paths().data_docs`` on every run, next to the JSON
validation results; ``write_results`` appends the results to ``ops.quality_results``.
"""

from __future__ import annotations

import html
import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from wfh.errors import QualityGateError
from wfh.settings import paths
from wfh.warehouse import ensure_ops_schema

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # read when GX is imported

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.resource_identifiers import (  # noqa: E402
    ExpectationSuiteIdentifier,
)
from great_expectations.expectations.row_conditions import Column  # noqa: E402

CRITICAL, WARNING = "critical", "warning"
BATCH = "whole dataframe"
GATES = ("landing", "marts")
DATA_DOCS_RUNS = 20  # runs kept in the Data Docs; ops.quality_results keeps them all

logging.getLogger("great_expectations").setLevel(logging.WARNING)


# --- what a check is ------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """One frame to validate and what it must meet: one GX suite, asset and checkpoint.

    ``sql`` runs in DuckDB (landing: views ``<source>.<table>``; marts: the build file); ``None``
    for the inventory, which the gate builds from the files or the catalog.
    ``expectations`` is a function building fresh GX expectations (GX binds them to one suite).
    """

    gate: str
    name: str
    sql: str | None
    expectations: Callable[[], list]

    @property
    def suite(self) -> str:
        return f"{self.gate}.{self.name}"

    def build_suite(self) -> gx.ExpectationSuite:
        meta = {"defined_in": "wfh/quality.py", "frame": self.sql or "built by the gate in Python"}
        # Passed to the constructor: ``add_expectation`` on a suite whose name is already stored
        # would write straight into the stored suite.
        return gx.ExpectationSuite(name=self.suite, meta=meta, expectations=self.expectations())


def columns_are(*names: str, exact: bool = True) -> gxe.Expectation:
    """The table's columns are exactly these (landing adds ``_loaded_at``) or, for marts, include them."""
    return gxe.ExpectTableColumnsToMatchSet(column_set=sorted(names), exact_match=exact,
                                           severity=CRITICAL)


def landing_columns(*names: str) -> gxe.Expectation:
    return columns_are(*names, "_loaded_at")


def row_count_in_range() -> gxe.Expectation:
    """Rows within the range known for the landed source version (``ROW_COUNTS``)."""
    return gxe.ExpectTableRowCountToBeBetween(min_value={"$PARAMETER": "min_rows"},
                                              max_value={"$PARAMETER": "max_rows"}, severity=CRITICAL)


def unique(*columns: str, severity: str = CRITICAL) -> gxe.Expectation:
    if len(columns) == 1:
        return gxe.ExpectColumnValuesToBeUnique(column=columns[0], severity=severity)
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns), severity=severity)


def not_null(column: str, severity: str = CRITICAL, *, where=None) -> gxe.Expectation:
    """Values are filled (only in the rows matching the GX row condition ``where``, if given)."""
    return gxe.ExpectColumnValuesToNotBeNull(column=column, severity=severity, row_condition=where)


def in_set(column: str, values: Iterable, severity: str = CRITICAL) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values), severity=severity)


def between(column: str, low: float, high: float, severity: str = CRITICAL) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high,
                                             severity=severity)


def matches(column: str, regex: str, severity: str = CRITICAL) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=regex, severity=severity)


def no_rows(description: str, severity: str = CRITICAL) -> gxe.Expectation:
    """For cross-table checks: the query returns the offending rows, so there must be none."""
    return gxe.ExpectTableRowCountToEqual(value=0, severity=severity, description=description)


def table_check(gate: str, schema: str, table: str, expectations: Callable[[], list]) -> Check:
    return Check(gate, f"{schema}.{table}", f'select * from {schema}."{table}"', expectations)


def orphan_check(gate: str, name: str, sql: str, description: str, severity: str = CRITICAL) -> Check:
    return Check(gate, f"check.{name}", sql, lambda: [no_rows(description, severity)])


# --- landing: the contract in docs/architecture.md ------------------------------------------

LANDING_TABLES: dict[str, tuple[str, ...]] = {
    "skills_england": ("standards", "duties", "ksb_items", "duty_ksb_links", "options"),
    "esco": ("occupations", "skills", "occupation_skill_relations", "isco_groups", "skill_groups",
             "skills_hierarchy", "broader_relations_occ_pillar", "broader_relations_skill_pillar",
             "skill_skill_relations", "concept_schemes", "skill_collection_members",
             "occupation_collection_members"),
    "onet": ("occupation_data", "task_statements", "dwa_reference", "iwa_reference", "tasks_to_dwas",
             "technology_skills", "alternate_titles", "job_zones", "content_model_reference",
             "scales_reference", "skills", "knowledge"),
    "esco_onet_crosswalk": ("crosswalk",),
    "cycles": ("cycles", "capabilities", "themes", "supply_chain_partners", "capability_partners",
               "fops", "fop_capability_proficiency", "role_levels", "tag_frequencies", "participants",
               "findings"),
}

# Row counts per source version (from the publishers' files; see each mirror folder's README).
# A (min, max) pair; a version not listed here is only checked to be non-empty, with a warning.
ROW_COUNTS: dict[str, dict[str, dict[str, tuple[int, int]]]] = {
    "skills_england": {"2026-08-22": {
        "standards": (2170, 2170), "duties": (17149, 17149), "ksb_items": (105890, 105890),
        "duty_ksb_links": (299006, 299006), "options": (1486, 1486)}},
    "esco": {"1.1.1": {
        "occupations": (3007, 3007), "skills": (13896, 13896),
        "occupation_skill_relations": (123855, 123855), "isco_groups": (619, 619),
        "skill_groups": (640, 640), "skills_hierarchy": (647, 647),
        "broader_relations_occ_pillar": (3617, 3617), "broader_relations_skill_pillar": (20656, 20656),
        "skill_skill_relations": (5899, 5899), "concept_schemes": (19, 19),
        "skill_collection_members": (2279, 2279), "occupation_collection_members": (122, 122)}},
    "onet": {"30.1": {
        "occupation_data": (1016, 1016), "task_statements": (18796, 18796),
        "dwa_reference": (2087, 2087), "iwa_reference": (332, 332), "tasks_to_dwas": (23850, 23850),
        "technology_skills": (32773, 32773), "alternate_titles": (56505, 56505),
        "job_zones": (923, 923), "content_model_reference": (630, 630), "scales_reference": (31, 31),
        "skills": (61530, 61530), "knowledge": (58014, 58014)}},
    "esco_onet_crosswalk": {"onet-soc-2019_esco-1.1.0": {"crosswalk": (8627, 8627)}},
}
NON_EMPTY = (1, None)

STANDARD_STATUSES = ("Approved for delivery", "Retired", "In development", "Withdrawn",
                     "Proposal in development", "PotentialStandard")
ESCO_SKILL_TYPES = ("skill/competence", "knowledge", "")
ESCO_REUSE_LEVELS = ("sector-specific", "cross-sector", "occupation-specific", "transversal", "")
ESCO_RELATION_TYPES = ("essential", "optional")
SKILL_COLLECTIONS = ("digital", "green", "transversal", "digcomp", "language", "research")
KSB_TYPES = ("knowledge", "skill", "behaviour")
PROFICIENCY_LABELS = ("Awareness", "Practitioner", "Expert")
MATCH_CLASSES = ("match", "partial", "none")
ONET_SOC_CODE = r"^\d{2}-\d{4}\.\d{2}$"


def landing_checks() -> list[Check]:
    """Every landing check: one per table, then the cross-table ones."""
    g = "landing"
    se, esco, onet, cw, cy = "skills_england", "esco", "onet", "esco_onet_crosswalk", "cycles"
    esco_concept = ("concept_type", "concept_uri", "preferred_label", "status")
    onet_scored = ("onet_soc_code", "title", "element_id", "element_name", "scale_id", "scale_name",
                   "data_value", "n", "standard_error", "lower_ci_bound", "upper_ci_bound", "recommend_suppress",
                   "not_relevant", "date", "domain_source", "onet_release")
    checks = [
        Check(g, "inventory", None, lambda: [
            in_set("present", [True]),
            in_set("row_counts_known", [True], WARNING)]),
        # Skills England
        table_check(g, se, "standards", lambda: [
            landing_columns(
                "reference_number", "version", "version_number", "title", "level", "status", "route",
                "pathway", "cluster", "cluster_id", "occupation_code", "template_type", "lars_code",
                "earliest_start_date", "latest_start_date", "latest_end_date", "approved_for_delivery",
                "created_date", "last_updated", "typical_job_titles", "keywords", "occupational_summary",
                "overview_of_role", "standard_information", "standard_page_url", "typical_duration",
                "regulated", "in_recent_api", "is_latest_approved_version", "record_index"),
            row_count_in_range(),
            unique("reference_number", "version"),
            matches("reference_number", r"^ST\d{4}$"),
            not_null("version"), not_null("title"),
            in_set("status", STANDARD_STATUSES),
            between("level", 0, 7),  # 0: two withdrawn ST0780 records carry level 0 in the source
            unique("record_index")]),
        table_check(g, se, "duties", lambda: [
            landing_columns("reference_number", "version", "duty_id", "duty_number", "duty_detail",
                            "is_core_duty"),
            row_count_in_range(),
            not_null("duty_id"), not_null("duty_detail"),
            unique("reference_number", "version", "duty_id"),
            unique("reference_number", "version", "duty_number"),
            between("duty_number", 1, 1000)]),
        table_check(g, se, "ksb_items", lambda: [
            landing_columns("reference_number", "version", "ksb_type", "ksb_id", "ksb_code", "position",
                            "detail"),
            row_count_in_range(),
            in_set("ksb_type", KSB_TYPES),
            matches("ksb_code", r"^[KSB][0-9]+$"),
            not_null("ksb_id"),
            unique("reference_number", "version", "ksb_code"),
            not_null("detail", WARNING)]),
        table_check(g, se, "duty_ksb_links", lambda: [
            landing_columns("reference_number", "version", "duty_id", "ksb_type", "ksb_id", "ksb_code"),
            row_count_in_range(),
            in_set("ksb_type", KSB_TYPES),
            not_null("ksb_id")]),
        table_check(g, se, "options", lambda: [
            landing_columns("reference_number", "version", "option_id", "title", "occupation_code"),
            row_count_in_range(),
            # ST0363 v1.0 lists one option id twice, with two titles (kept as published).
            unique("reference_number", "version", "option_id", severity=WARNING)]),
        # ESCO
        table_check(g, esco, "occupations", lambda: [
            landing_columns(*esco_concept, "isco_group", "alt_labels", "hidden_labels", "modified_date",
                            "regulated_profession_note", "scope_note", "definition", "in_scheme",
                            "description", "code"),
            row_count_in_range(),
            unique("concept_uri"), not_null("concept_uri"), not_null("preferred_label"),
            matches("isco_group", r"^\d{4}$")]),
        table_check(g, esco, "skills", lambda: [
            landing_columns(*esco_concept, "skill_type", "reuse_level", "alt_labels", "hidden_labels",
                            "modified_date", "scope_note", "definition", "in_scheme", "description"),
            row_count_in_range(),
            unique("concept_uri"), not_null("concept_uri"), not_null("preferred_label"),
            in_set("skill_type", ESCO_SKILL_TYPES),
            in_set("reuse_level", ESCO_REUSE_LEVELS)]),
        table_check(g, esco, "occupation_skill_relations", lambda: [
            landing_columns("occupation_uri", "relation_type", "skill_type", "skill_uri",
                            "occupation_in_release"),
            row_count_in_range(),
            unique("occupation_uri", "skill_uri"),
            in_set("relation_type", ESCO_RELATION_TYPES),
            in_set("skill_type", ESCO_SKILL_TYPES)]),
        table_check(g, esco, "isco_groups", lambda: [
            landing_columns("concept_type", "concept_uri", "code", "preferred_label", "status",
                            "alt_labels", "in_scheme", "description"),
            row_count_in_range(), unique("concept_uri"), unique("code")]),
        table_check(g, esco, "skill_groups", lambda: [
            landing_columns(*esco_concept, "alt_labels", "hidden_labels", "modified_date", "scope_note",
                            "in_scheme", "description", "code"),
            row_count_in_range(), unique("concept_uri")]),
        table_check(g, esco, "skills_hierarchy", lambda: [
            landing_columns(*(f"level_{n}_{part}" for n in range(4)
                              for part in ("uri", "preferred_term", "code")),
                            "description", "scope_note"),
            row_count_in_range(), not_null("level_0_uri")]),
        table_check(g, esco, "broader_relations_occ_pillar", lambda: [
            landing_columns("concept_type", "concept_uri", "broader_type", "broader_uri"),
            row_count_in_range(), unique("concept_uri", "broader_uri")]),
        table_check(g, esco, "broader_relations_skill_pillar", lambda: [
            landing_columns("concept_type", "concept_uri", "broader_type", "broader_uri"),
            row_count_in_range(), unique("concept_uri", "broader_uri")]),
        table_check(g, esco, "skill_skill_relations", lambda: [
            landing_columns("original_skill_uri", "original_skill_type", "relation_type",
                            "related_skill_type", "related_skill_uri"),
            row_count_in_range(),
            unique("original_skill_uri", "related_skill_uri"),
            in_set("relation_type", ESCO_RELATION_TYPES)]),
        table_check(g, esco, "concept_schemes", lambda: [
            landing_columns("concept_type", "concept_scheme_uri", "preferred_label", "title", "status",
                            "description", "has_top_concept"),
            row_count_in_range(), unique("concept_scheme_uri")]),
        table_check(g, esco, "skill_collection_members", lambda: [
            landing_columns("concept_type", "concept_uri", "preferred_label", "status", "skill_type",
                            "reuse_level", "alt_labels", "description", "broader_concept_uri",
                            "broader_concept_pt", "collection"),
            row_count_in_range(),
            in_set("collection", SKILL_COLLECTIONS),
            unique("collection", "concept_uri")]),
        table_check(g, esco, "occupation_collection_members", lambda: [
            landing_columns("concept_type", "concept_uri", "preferred_label", "status", "alt_labels",
                            "description", "broader_concept_uri", "broader_concept_pt", "collection"),
            row_count_in_range(),
            in_set("collection", ["research"]),
            unique("collection", "concept_uri")]),
        # O*NET
        table_check(g, onet, "occupation_data", lambda: [
            landing_columns("onet_soc_code", "title", "description", "onet_release"),
            row_count_in_range(),
            unique("onet_soc_code"), matches("onet_soc_code", ONET_SOC_CODE), not_null("title"),
            in_set("onet_release", ["30.1"])]),
        table_check(g, onet, "task_statements", lambda: [
            landing_columns("onet_soc_code", "task_id", "task", "task_type", "incumbents_responding",
                            "date", "domain_source", "onet_release"),
            row_count_in_range(),
            unique("onet_soc_code", "task_id"), not_null("task")]),
        table_check(g, onet, "dwa_reference", lambda: [
            landing_columns("element_id", "iwa_id", "dwa_id", "dwa_title", "onet_release"),
            row_count_in_range(), unique("dwa_id")]),
        table_check(g, onet, "iwa_reference", lambda: [
            landing_columns("element_id", "iwa_id", "iwa_title", "onet_release"),
            row_count_in_range(), unique("iwa_id")]),
        table_check(g, onet, "tasks_to_dwas", lambda: [
            landing_columns("onet_soc_code", "task_id", "dwa_id", "date", "domain_source",
                            "onet_release"),
            row_count_in_range(), unique("onet_soc_code", "task_id", "dwa_id")]),
        table_check(g, onet, "technology_skills", lambda: [
            landing_columns("onet_soc_code", "example", "commodity_code", "commodity_title",
                            "hot_technology", "in_demand", "onet_release"),
            row_count_in_range()]),
        table_check(g, onet, "alternate_titles", lambda: [
            landing_columns("onet_soc_code", "alternate_title", "short_title", "sources",
                            "onet_release"),
            row_count_in_range()]),
        table_check(g, onet, "job_zones", lambda: [
            landing_columns("onet_soc_code", "job_zone", "date", "domain_source", "onet_release"),
            row_count_in_range(), unique("onet_soc_code"), between("job_zone", 1, 5)]),
        table_check(g, onet, "content_model_reference", lambda: [
            landing_columns("element_id", "element_name", "description", "onet_release"),
            row_count_in_range(), unique("element_id")]),
        table_check(g, onet, "scales_reference", lambda: [
            landing_columns("scale_id", "scale_name", "minimum", "maximum", "onet_release"),
            row_count_in_range(), unique("scale_id")]),
        table_check(g, onet, "skills", lambda: [
            landing_columns(*onet_scored), row_count_in_range(),
            unique("onet_soc_code", "element_id", "scale_id"), in_set("onet_release", ["29.3"])]),
        table_check(g, onet, "knowledge", lambda: [
            landing_columns(*onet_scored), row_count_in_range(),
            unique("onet_soc_code", "element_id", "scale_id"), in_set("onet_release", ["29.3"])]),
        # ESCO -> O*NET crosswalk
        table_check(g, cw, "crosswalk", lambda: [
            landing_columns("esco_code", "esco_title", "onet_soc_code", "onet_soc_title", "code_kind",
                            "esco_occupation_uri", "isco_group_code", "uri_resolved_by"),
            row_count_in_range(),
            unique("esco_code", "onet_soc_code"),
            in_set("code_kind", ["esco_occupation", "isco_group"]),
            matches("onet_soc_code", ONET_SOC_CODE)]),
        # Foresighting cycles (bundles)
        table_check(g, cy, "cycles", lambda: [
            landing_columns("cycle_id", "title", "sponsor", "centre_of_innovation", "workshop_start",
                            "workshop_end", "report_date", "source_document"),
            row_count_in_range(), unique("cycle_id")]),
        table_check(g, cy, "capabilities", lambda: [
            landing_columns("cycle_id", "capability_id", "statement", "highlight_number",
                            "reason_to_highlight", "in_appendix_a", "provenance"),
            row_count_in_range(), unique("cycle_id", "capability_id"), not_null("statement")]),
        table_check(g, cy, "themes", lambda: [
            landing_columns("cycle_id", "theme_id", "name", "description", "provenance"),
            row_count_in_range(), unique("cycle_id", "theme_id")]),
        table_check(g, cy, "supply_chain_partners", lambda: [
            landing_columns("cycle_id", "partner_id", "partner_number", "name", "description",
                            "provenance"),
            row_count_in_range(), unique("cycle_id", "partner_id")]),
        table_check(g, cy, "capability_partners", lambda: [
            landing_columns("cycle_id", "capability_id", "partner_id", "provenance"),
            row_count_in_range(), unique("cycle_id", "capability_id", "partner_id")]),
        table_check(g, cy, "fops", lambda: [
            landing_columns("cycle_id", "fop_id", "name", "description", "is_priority",
                            "role_level_id", "provenance"),
            row_count_in_range(), unique("cycle_id", "fop_id"), not_null("name")]),
        table_check(g, cy, "fop_capability_proficiency", lambda: [
            landing_columns("cycle_id", "fop_id", "capability_id", "proficiency", "provenance"),
            row_count_in_range(), unique("cycle_id", "fop_id", "capability_id"),
            not_null("proficiency"), between("proficiency", 1, 3)]),
        table_check(g, cy, "role_levels", lambda: [
            landing_columns("cycle_id", "role_level_id", "name", "description", "provenance"),
            row_count_in_range(), unique("cycle_id", "role_level_id")]),
        table_check(g, cy, "tag_frequencies", lambda: [
            landing_columns("cycle_id", "tag_type", "rank", "tag", "frequency", "provenance"),
            row_count_in_range(), in_set("tag_type", ["knowledge", "skill"])]),
        table_check(g, cy, "participants", lambda: [
            landing_columns("cycle_id", "category", "organisation", "provenance"),
            row_count_in_range()]),
        table_check(g, cy, "findings", lambda: [
            landing_columns("cycle_id", "finding_id", "severity", "finding", "detail", "provenance"),
            unique("cycle_id", "finding_id"), in_set("severity", ["warning", "info"])]),
        # The report's own inconsistencies: recorded as warnings, one listed per finding.
        Check(g, "check.report_findings",
              "select cycle_id || ':' || finding_id as finding_key, finding from cycles.findings "
              "where severity = 'warning' order by all",
              lambda: [in_set("finding_key", [], WARNING)]),
        # Cross-table checks: each query returns the offending rows.
        orphan_check(g, "duties_without_standard", """
            select d.reference_number, d.version, d.duty_id from skills_england.duties d
            anti join skills_england.standards s using (reference_number, version)""",
            "every duty belongs to a standard version"),
        orphan_check(g, "ksb_items_without_standard", """
            select k.reference_number, k.version, k.ksb_id from skills_england.ksb_items k
            anti join skills_england.standards s using (reference_number, version)""",
            "every K/S/B item belongs to a standard version"),
        orphan_check(g, "duty_ksb_links_without_duty", """
            select l.reference_number, l.version, l.duty_id from skills_england.duty_ksb_links l
            anti join skills_england.duties d using (reference_number, version, duty_id)""",
            "every duty-K/S/B link starts at a duty of the same standard version"),
        orphan_check(g, "duty_ksb_links_with_wrong_code", """
            select l.reference_number, l.version, l.duty_id, l.ksb_id, l.ksb_code, k.ksb_code as item_code
            from skills_england.duty_ksb_links l
            left join skills_england.ksb_items k
              on k.reference_number = l.reference_number and k.version = l.version
             and k.ksb_type = l.ksb_type and k.ksb_id = l.ksb_id
            where l.ksb_code is distinct from k.ksb_code""",
            "a link's ksb_code is the code of its K/S/B item, and null exactly when the item "
            "is not among the standard version's items"),
        orphan_check(g, "duty_ksb_links_to_missing_items", """
            select l.reference_number, l.version, l.duty_id, l.ksb_type, l.ksb_id
            from skills_england.duty_ksb_links l where l.ksb_code is null""",
            "links to a K/S/B item the standard version does not list (kept, flagged by a null "
            "ksb_code; a quirk of the source)", WARNING),
        orphan_check(g, "esco_relations_to_unknown_skill", """
            select r.occupation_uri, r.skill_uri from esco.occupation_skill_relations r
            anti join esco.skills s on s.concept_uri = r.skill_uri""",
            "every occupation-skill relation points at an ESCO skill"),
        orphan_check(g, "esco_relations_to_unknown_occupation", """
            select r.occupation_uri, r.skill_uri, r.occupation_in_release
            from esco.occupation_skill_relations r
            left join esco.occupations o on o.concept_uri = r.occupation_uri
            where r.occupation_in_release is distinct from (o.concept_uri is not null)""",
            "every relation's occupation is in the release, except rows flagged "
            "occupation_in_release = false (the flag agrees with the occupations table)"),
        orphan_check(g, "esco_skill_relations_to_unknown_skill", """
            select r.original_skill_uri, r.related_skill_uri from esco.skill_skill_relations r
            where r.original_skill_uri not in (select concept_uri from esco.skills)
               or r.related_skill_uri not in (select concept_uri from esco.skills)""",
            "both ends of every skill-skill relation are ESCO skills"),
        orphan_check(g, "esco_collection_members_unknown", """
            select m.collection, m.concept_uri from esco.skill_collection_members m
            anti join esco.skills s using (concept_uri)
            union all
            select m.collection, m.concept_uri from esco.occupation_collection_members m
            anti join esco.occupations o using (concept_uri)""",
            "every collection member is an ESCO skill (or occupation)"),
        orphan_check(g, "onet_tasks_without_occupation", """
            select t.onet_soc_code, t.task_id from onet.task_statements t
            anti join onet.occupation_data o using (onet_soc_code)""",
            "every O*NET task belongs to an O*NET occupation"),
        orphan_check(g, "onet_task_dwas_unknown", """
            select l.onet_soc_code, l.task_id, l.dwa_id from onet.tasks_to_dwas l
            where (l.onet_soc_code, l.task_id) not in (select onet_soc_code, task_id from onet.task_statements)
               or l.dwa_id not in (select dwa_id from onet.dwa_reference)""",
            "every task-DWA link joins an O*NET task and a DWA"),
        orphan_check(g, "crosswalk_unknown_onet_code", """
            select c.esco_code, c.onet_soc_code from esco_onet_crosswalk.crosswalk c
            anti join onet.occupation_data o using (onet_soc_code)""",
            "every crosswalk O*NET-SOC code is an O*NET occupation", WARNING),
        orphan_check(g, "crosswalk_uri_not_in_esco", """
            select c.esco_code, c.esco_occupation_uri from esco_onet_crosswalk.crosswalk c
            where c.esco_occupation_uri not in (select concept_uri from esco.occupations)""",
            "every resolved crosswalk ESCO URI is an occupation of the landed ESCO release"),
        orphan_check(g, "crosswalk_esco_code_unresolved", """
            select c.esco_code, c.esco_title from esco_onet_crosswalk.crosswalk c
            where c.code_kind = 'esco_occupation' and c.esco_occupation_uri is null""",
            "crosswalk ESCO codes (from ESCO 1.1.0) that match no occupation of the landed release",
            WARNING),
        orphan_check(g, "fops_without_proficiency", """
            select f.cycle_id, f.fop_id, f.name from cycles.fops f
            anti join cycles.fop_capability_proficiency p using (cycle_id, fop_id)""",
            "FOPs the report rates on no capability (the report's own gap)", WARNING),
        orphan_check(g, "fop_proficiency_unknown_fop_or_capability", """
            select p.cycle_id, p.fop_id, p.capability_id from cycles.fop_capability_proficiency p
            where (p.cycle_id, p.fop_id) not in (select cycle_id, fop_id from cycles.fops)
               or (p.cycle_id, p.capability_id) not in (select cycle_id, capability_id from cycles.capabilities)""",
            "every proficiency rating joins a FOP and a capability of its cycle"),
        orphan_check(g, "capability_partners_unknown", """
            select p.cycle_id, p.capability_id, p.partner_id from cycles.capability_partners p
            where (p.cycle_id, p.capability_id) not in (select cycle_id, capability_id from cycles.capabilities)
               or (p.cycle_id, p.partner_id) not in (select cycle_id, partner_id from cycles.supply_chain_partners)""",
            "every capability-partner tag joins a capability and a partner of its cycle"),
    ]
    return checks


# --- marts: the contract in docs/architecture.md --------------------------------------------

MATCHING_TABLES = ("capability_provision_candidates",)
MART_TABLES = ("dim_cycle", "dim_capability", "dim_fop", "dim_standard",
               "fct_fop_capability_proficiency", "capability_provision_match",
               "capability_provision_status", "fop_standard_fit", "fop_standard_fit_matrix",
               "capability_gap_actions", "fop_priorities", "report_reconciliation")


def marts_checks() -> list[Check]:
    """Every marts check: the value ranges and keys of the marts, then coverage across marts."""
    g, m = "marts", "marts"
    return [
        Check(g, "inventory", None, lambda: [in_set("present", [True])]),
        table_check(g, m, "dim_cycle", lambda: [
            columns_are("cycle_id", exact=False), unique("cycle_id"), not_null("cycle_id")]),
        table_check(g, m, "dim_capability", lambda: [
            columns_are("capability_key", "cycle_id", "capability_id", "statement", exact=False),
            unique("capability_key"), not_null("capability_key"), not_null("statement")]),
        table_check(g, m, "dim_fop", lambda: [
            columns_are("fop_key", "cycle_id", "fop_id", "name", exact=False),
            unique("fop_key"), not_null("fop_key")]),
        table_check(g, m, "dim_standard", lambda: [
            columns_are("standard_key", exact=False), unique("standard_key"), not_null("standard_key")]),
        table_check(g, m, "fct_fop_capability_proficiency", lambda: [
            columns_are("fop_key", "capability_key", "cycle_id", "proficiency", "proficiency_label",
                        exact=False),
            not_null("proficiency"), between("proficiency", 1, 3),
            in_set("proficiency_label", PROFICIENCY_LABELS),
            unique("fop_key", "capability_key")]),
        table_check(g, m, "capability_provision_match", lambda: [
            columns_are("cycle_id", "capability_key", "rank", "standard_key", "statement_id",
                        "similarity", "match_class", exact=False),
            between("similarity", -1, 1), between("rank", 1, 10),
            in_set("match_class", MATCH_CLASSES)]),
        table_check(g, m, "capability_provision_status", lambda: [
            columns_are("cycle_id", "capability_id", "capability_key", "best_similarity",
                        "match_class", "best_standard_key", exact=False),
            unique("capability_key"), not_null("capability_key"),
            between("best_similarity", -1, 1), in_set("match_class", MATCH_CLASSES)]),
        table_check(g, m, "fop_standard_fit", lambda: [
            columns_are("cycle_id", "fop_key", "standard_key", "fop_capabilities", "fit", "surplus",
                        exact=False),
            # fit is a share of the FOP's capabilities: undefined (null) for a FOP without any
            not_null("fit", where=Column("fop_capabilities") > 0), not_null("surplus"),
            between("fit", 0, 1), between("surplus", 0, 1),
            unique("fop_key", "standard_key")]),
        table_check(g, m, "fop_standard_fit_matrix", lambda: [
            columns_are("cycle_id", "fop_key", "standard_key", "fit", "surplus", exact=False),
            between("fit", 0, 1), between("surplus", 0, 1)]),
        table_check(g, m, "capability_gap_actions", lambda: [
            columns_are("cycle_id", "capability_key", "match_class", "best_similarity", "horizon",
                        exact=False),
            unique("capability_key"), between("best_similarity", -1, 1),
            in_set("horizon", ["short-term CPD", "medium-term standard revision",
                               "long-term new standard", "no FOP data"])]),
        table_check(g, m, "fop_priorities", lambda: [
            columns_are("cycle_id", "fop_key", "best_fit", "surplus_at_best_fit", exact=False),
            unique("fop_key"), between("best_fit", 0, 1), between("surplus_at_best_fit", 0, 1)]),
        table_check(g, m, "report_reconciliation", lambda: [
            columns_are("cycle_id", "capability_key", "agrees", exact=False),
            in_set("agrees", [True], WARNING)]),
        table_check(g, "matching", "capability_provision_candidates", lambda: [
            between("similarity", -1, 1), between("rank", 1, 10),
            in_set("match_class", MATCH_CLASSES), unique("capability_key", "rank")]),
        orphan_check(g, "capabilities_without_provision_status", """
            select c.cycle_id, c.capability_key from marts.dim_capability c
            anti join marts.capability_provision_status s using (capability_key)
            union all
            select y.cycle_id, null from marts.dim_cycle y
            anti join marts.capability_provision_status s using (cycle_id)""",
            "every capability of every cycle has a provision-status row"),
        orphan_check(g, "fops_without_capability", """
            select f.cycle_id, f.fop_key from marts.dim_fop f
            anti join marts.fct_fop_capability_proficiency p using (fop_key)
            where (f.cycle_id, f.fop_id) in
                  (select cycle_id, fop_id from staging.stg_cycles__fop_capability_proficiency)""",
            "every FOP has at least one capability (a FOP the report rates on no capability at all "
            "is the report's own gap: see fops_without_capability_in_report)"),
        orphan_check(g, "fops_without_capability_in_report", """
            select f.cycle_id, f.fop_key from marts.dim_fop f
            where (f.cycle_id, f.fop_id) not in
                  (select cycle_id, fop_id from staging.stg_cycles__fop_capability_proficiency)""",
            "FOPs the report rates on no capability (the report's own gap)", WARNING),
        orphan_check(g, "proficiency_unknown_fop_or_capability", """
            select p.fop_key, p.capability_key from marts.fct_fop_capability_proficiency p
            where p.fop_key not in (select fop_key from marts.dim_fop)
               or p.capability_key not in (select capability_key from marts.dim_capability)""",
            "every proficiency row joins a FOP and a capability"),
    ]


def all_checks() -> list[Check]:
    return landing_checks() + marts_checks()


# --- results --------------------------------------------------------------------------------

@dataclass(frozen=True)
class QualityResult:
    """One expectation's outcome in one run (a row of ops.quality_results)."""

    run_id: str
    run_at: datetime
    checkpoint: str
    suite: str
    expectation: str
    column_name: str | None
    success: bool
    observed_value: str | None
    severity: str

    @property
    def label(self) -> str:
        column = f"({self.column_name})" if self.column_name else ""
        return f"{self.suite}: {self.expectation}{column} observed {self.observed_value}"


@dataclass
class GateResult:
    """A gate's outcome: ``success`` unless a critical expectation failed.

    ``data_docs`` is this run's page in the Data Docs (``runs/<time>-<gate>-<run id>.html``).
    """

    gate: str
    run_id: str
    results: list[QualityResult]
    data_docs: Path | None = None
    failed_critical: list[str] = field(init=False)
    failed_warnings: list[str] = field(init=False)

    def __post_init__(self) -> None:
        failed = [r for r in self.results if not r.success]
        self.failed_critical = [r.label for r in failed if r.severity == CRITICAL]
        self.failed_warnings = [r.label for r in failed if r.severity != CRITICAL]

    @property
    def success(self) -> bool:
        return not self.failed_critical

    def raise_for_failures(self) -> None:
        """Raise QualityGateError naming every failed critical expectation."""
        if self.failed_critical:
            names = "\n  ".join(self.failed_critical)
            error = QualityGateError(
                f"{self.gate} quality gate failed (run {self.run_id}): "
                f"{len(self.failed_critical)} critical expectation(s) failed:\n  {names}\n"
                f"Data Docs: {self.data_docs}")
            error.result = self
            raise error


def _column_of(kwargs: dict) -> str | None:
    if kwargs.get("column"):
        return kwargs["column"]
    if kwargs.get("column_list"):
        return ", ".join(kwargs["column_list"])
    return None


def _short(value: object, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _observed(result: dict, exception: dict | None) -> str | None:
    if exception and exception.get("raised_exception"):
        return _short("error: " + str(exception.get("exception_message")))
    if "observed_value" in result:
        return _short(result["observed_value"])
    if "unexpected_count" in result:
        text = f"{result['unexpected_count']} of {result.get('element_count')} unexpected"
        examples = result.get("partial_unexpected_list") or []
        return _short(text + (f": {json.dumps(examples[:10], default=str)}" if examples else ""))
    return None


def _results_of(checkpoint_result, check: Check, run_id: str, run_at: datetime) -> list[QualityResult]:
    rows = []
    for validation in checkpoint_result.run_results.values():
        for item in validation.results:
            config = item.expectation_config
            rows.append(QualityResult(
                run_id=run_id, run_at=run_at, checkpoint=checkpoint_result.checkpoint_config.name,
                suite=check.suite, expectation=config.type, column_name=_column_of(config.kwargs),
                success=bool(item.success),
                observed_value=_observed(item.result or {}, item.exception_info),
                severity=str(getattr(config.severity, "value", config.severity) or CRITICAL)))
    return rows


def _unreadable(check: Check, error: Exception, run_id: str, run_at: datetime) -> QualityResult:
    """A frame that cannot even be read (missing table or column) fails its check outright."""
    return QualityResult(run_id=run_id, run_at=run_at, checkpoint=check.suite, suite=check.suite,
                         expectation="frame_is_readable", column_name=None, success=False,
                         observed_value=_short(f"error: {error}"), severity=CRITICAL)


def write_results(con: duckdb.DuckDBPyConnection, results: Sequence[QualityResult]) -> int:
    """Append results to ``ops.quality_results`` (created if missing); returns the rows written."""
    ensure_ops_schema(con)
    rows = [astuple(r) for r in results]
    if rows:
        con.executemany("insert into ops.quality_results (run_id, run_at, checkpoint, suite, "
                        "expectation, column_name, success, observed_value, severity) "
                        "values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


# --- the GX project -------------------------------------------------------------------------

_CONTEXTS: dict[tuple[Path, Path], object] = {}


def validation_results_dir(data_docs: Path) -> Path:
    """The JSON validation results live next to the Data Docs built from them."""
    return data_docs / "validation_results"


def open_project(project_dir: Path, data_docs: Path):
    """The file-backed GX project, its run-time output (Data Docs, JSON results) under ``data_docs``."""
    return gx.get_context(mode="file", project_root_dir=str(project_dir), runtime_environment={
        "wfh_data_docs_dir": str(data_docs),
        "wfh_validation_results_dir": str(validation_results_dir(data_docs))})


def quality_context(project_dir: Path | None = None, data_docs: Path | None = None):
    """The GX project (default ``expectations/``), synced with the checks in this module.

    Run-time output goes to ``data_docs`` (default ``paths().data_docs``): the static HTML site and
    the JSON validation results. One context per (project, data docs) pair is kept per process.
    """
    project_dir = Path(project_dir or paths().expectations).resolve()
    data_docs = Path(data_docs or paths().data_docs).resolve()
    key = (project_dir, data_docs)
    if key not in _CONTEXTS:
        context = open_project(project_dir, data_docs)
        sync_project(context)
        _CONTEXTS[key] = context
    return _CONTEXTS[key]


def _expectation_signature(expectation) -> dict:
    config = expectation.configuration.to_json_dict()
    config.pop("id", None)
    return config


def _suite_signature(suite) -> tuple:
    meta = {k: v for k, v in (suite.meta or {}).items() if k != "great_expectations_version"}
    return (json.dumps(meta, sort_keys=True, default=str),
            [json.dumps(_expectation_signature(e), sort_keys=True, default=str)
             for e in suite.expectations])


def sync_project(context) -> list[str]:
    """Write the checks into the GX project (only what changed); returns the names written/removed.

    Datasources, assets and batch definitions are added when missing; a suite is replaced when its
    expectations differ; validation definitions and checkpoints are added when missing; GX objects
    for checks that no longer exist are removed. Ids stay stable, so a synced project is unchanged.
    """
    changed: list[str] = []
    checks = all_checks()
    for gate in GATES:
        try:
            context.data_sources.get(gate)
        except KeyError:
            context.data_sources.add_pandas(gate)
            changed.append(f"datasource {gate}")
    for check in checks:
        source = context.data_sources.get(check.gate)
        try:
            asset = source.get_asset(check.suite)
        except LookupError:
            asset = source.add_dataframe_asset(check.suite)
            changed.append(f"asset {check.suite}")
        try:
            batch = asset.get_batch_definition(BATCH)
        except KeyError:
            batch = asset.add_batch_definition_whole_dataframe(BATCH)
            changed.append(f"batch definition {check.suite}")
        wanted = check.build_suite()
        try:
            suite = context.suites.get(check.suite)
        except Exception:  # noqa: BLE001 - GX raises its own DataContextError subclasses
            suite = None
        if suite is None or _suite_signature(suite) != _suite_signature(wanted):
            suite = context.suites.add_or_update(wanted)
            changed.append(f"suite {check.suite}")
        try:
            definition = context.validation_definitions.get(check.suite)
            stale = (definition.suite.name != check.suite or definition.asset.name != check.suite)
        except Exception:  # noqa: BLE001
            definition, stale = None, True
        if stale:
            definition = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=check.suite, data=batch, suite=suite))
            changed.append(f"validation definition {check.suite}")
        try:
            context.checkpoints.get(check.suite)
        except Exception:  # noqa: BLE001
            context.checkpoints.add_or_update(gx.Checkpoint(
                name=check.suite, validation_definitions=[definition], actions=[],
                result_format="SUMMARY"))
            changed.append(f"checkpoint {check.suite}")
    changed += _remove_stale(context, {c.suite for c in checks})
    return changed


def _remove_stale(context, wanted: set[str]) -> list[str]:
    removed = []
    for checkpoint in context.checkpoints.all():
        if checkpoint.name not in wanted:
            context.checkpoints.delete(checkpoint.name)
            removed.append(f"checkpoint {checkpoint.name} (removed)")
    for definition in context.validation_definitions.all():
        if definition.name not in wanted:
            context.validation_definitions.delete(definition.name)
            removed.append(f"validation definition {definition.name} (removed)")
    for suite in context.suites.all():
        if suite.name not in wanted:
            context.suites.delete(suite.name)
            removed.append(f"suite {suite.name} (removed)")
    for gate in GATES:
        source = context.data_sources.get(gate)
        for asset in list(source.assets):
            if asset.name not in wanted:
                source.delete_asset(asset.name)
                removed.append(f"asset {asset.name} (removed)")
    return removed


# --- running a gate -------------------------------------------------------------------------

def _run_checks(gate: str, con: duckdb.DuckDBPyConnection, run_id: str, context, *,
                frames: dict[str, pd.DataFrame], parameters: dict[str, dict]) -> GateResult:
    """Validate every check of a gate; ``frames`` holds the frames the gate built in Python."""
    run_at = datetime.now(timezone.utc)
    run_identifier = RunIdentifier(run_name=run_id, run_time=run_at)
    results: list[QualityResult] = []
    validations: dict[str, object] = {}
    for check in [c for c in all_checks() if c.gate == gate]:
        try:
            frame = frames[check.suite] if check.sql is None else con.sql(check.sql).df()
        except duckdb.Error as error:
            results.append(_unreadable(check, error, run_id, run_at))
            continue
        checkpoint = context.checkpoints.get(check.suite)
        outcome = checkpoint.run(batch_parameters={"dataframe": frame},
                                 expectation_parameters=parameters.get(check.suite),
                                 run_id=run_identifier)
        results += _results_of(outcome, check, run_id, run_at)
        validations[check.suite] = next(iter(outcome.run_results))
    forget_old_runs(context)
    suites = [ExpectationSuiteIdentifier(name=name) for name in validations]
    context.build_data_docs(resource_identifiers=[*validations.values(), *suites])
    result = GateResult(gate=gate, run_id=run_id, results=results)
    pages = {suite: context.get_docs_sites_urls(resource_identifier=key)[0]["site_url"]
             for suite, key in validations.items()}
    result.data_docs = write_run_page(result, _site_dir(context), pages)
    return result


def _site_dir(context) -> Path:
    """The Data Docs folder (``paths().data_docs`` unless the context says otherwise)."""
    index = context.get_docs_sites_urls(only_if_exists=False)[0]["site_url"]
    return Path(index.removeprefix("file://")).parent


# --- a run page that needs no JavaScript ------------------------------------------------------
# GX's index page lists the validations with JavaScript from CDNs, so offline it shows an empty
# table. Each gate run therefore also writes runs/<time>-<gate>-<run id>.html (every result, failures
# first, linking to GX's own page per suite) and quality.html, the list of those runs.

def _run_page_name(result: GateResult) -> str:
    return f"{result.results[0].run_at:%Y%m%dT%H%M%SZ}-{result.gate}-{result.run_id}.html"


def write_run_page(result: GateResult, site: Path, pages: dict[str, str]) -> Path:
    """Write the run's static page and refresh ``quality.html``; returns the run page."""
    folder = site / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / (_run_page_name(result) if result.results else f"{result.gate}-{result.run_id}.html")
    order = {(False, CRITICAL): 0, (False, WARNING): 1}
    rows = []
    for r in sorted(result.results, key=lambda r: (order.get((r.success, r.severity), 2), r.suite)):
        link = pages.get(r.suite)
        suite = (f'<a href="{html.escape(os.path.relpath(link.removeprefix("file://"), folder))}">'
                 f"{html.escape(r.suite)}</a>") if link else html.escape(r.suite)
        status = "passed" if r.success else f"FAILED ({r.severity})"
        rows.append(f"<tr><td>{status}</td><td>{suite}</td><td>{html.escape(r.expectation)}</td>"
                    f"<td>{html.escape(r.column_name or '')}</td>"
                    f"<td>{html.escape(r.observed_value or '')}</td></tr>")
    verdict = "passed" if result.success else "FAILED"
    title = f"{result.gate} gate, run {result.run_id}: {verdict}"
    page.write_text(
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<h1>{html.escape(title)}</h1><p><a href='../quality.html'>all runs</a> · "
        f"<a href='../index.html'>GX Data Docs</a></p>"
        f"<p>{len(result.failed_critical)} critical and {len(result.failed_warnings)} warning "
        f"expectation(s) failed, of {len(result.results)}.</p>"
        "<table border='1' cellpadding='4'><tr><th>result</th><th>suite</th><th>expectation</th>"
        "<th>column</th><th>observed</th></tr>" + "".join(rows) + "</table>", encoding="utf-8")
    _write_runs_index(site)
    return page


def _write_runs_index(site: Path) -> None:
    items = [f"<li><a href='runs/{html.escape(p.name)}'>{html.escape(p.stem)}</a></li>"
             for p in sorted((site / "runs").glob("*.html"), reverse=True)]
    (site / "quality.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>Quality gate runs</title>"
        "<h1>Quality gate runs</h1><p>Newest first; each page lists every expectation of one gate "
        "run. <a href='index.html'>GX Data Docs</a> (its lists need JavaScript from the internet).</p>"
        f"<ul>{''.join(items)}</ul>", encoding="utf-8")


def forget_old_runs(context, keep: int = DATA_DOCS_RUNS) -> None:
    """Keep the JSON results (and so the Data Docs pages) of the last ``keep`` runs only.

    The full history stays in ``ops.quality_results``; this bounds the time the index page takes.
    """
    store = context.validation_results_store
    keys = store.list_keys()
    last_seen: dict[str, str] = {}
    for key in keys:
        name, time = key.run_id.run_name, str(key.run_id.run_time)
        last_seen[name] = max(time, last_seen.get(name, time))
    newest = set(sorted(last_seen, key=last_seen.get, reverse=True)[:keep])
    for key in keys:
        if key.run_id.run_name not in newest:
            store.remove_key(key)
    site = _site_dir(context)
    old = [p for p in (site / "runs").glob("*.html") if p.stem.split("-", 2)[-1] not in newest]
    for page in old:
        page.unlink()
    if old:
        _write_runs_index(site)


def landing_version(landing_dir: Path, source: str) -> str | None:
    """The landed version of a source: the folder its ``current`` link points to."""
    link = Path(landing_dir) / source / "current"
    return link.resolve().name if link.exists() else None


def row_count_range(source: str, version: str | None, table: str) -> tuple[int, int | None]:
    """The expected row range of a landing table for the landed version (else just non-empty)."""
    return ROW_COUNTS.get(source, {}).get(version or "", {}).get(table, NON_EMPTY)


def _landing_connection(landing_dir: Path) -> tuple[duckdb.DuckDBPyConnection, pd.DataFrame,
                                                     dict[str, dict]]:
    """In-memory DuckDB with a view ``<source>.<table>`` per landed Parquet; the inventory; ranges."""
    con = duckdb.connect()
    inventory, parameters = [], {}
    for source, tables in LANDING_TABLES.items():
        version = landing_version(landing_dir, source)
        con.sql(f'create schema "{source}"')
        for table in tables:
            path = landing_dir / source / "current" / f"{table}.parquet"
            if path.is_file():
                literal = str(path).replace("'", "''")
                con.sql(f'create view "{source}"."{table}" as select * from read_parquet(\'{literal}\')')
            inventory.append({"table_key": f"{source}.{table}", "version": version,
                              "present": path.is_file(),
                              "row_counts_known": source == "cycles" or version in ROW_COUNTS.get(source, {})})
            low, high = row_count_range(source, version, table)
            parameters[f"landing.{source}.{table}"] = {"min_rows": low, "max_rows": high}
    return con, pd.DataFrame(inventory), parameters


def run_landing_gate(landing_dir: Path, run_id: str, *, context=None,
                     raise_on_failure: bool = True) -> GateResult:
    """Gate 1, before dbt: validate every landing table and the links between them.

    Raises QualityGateError (carrying ``.result``) when a critical expectation fails, unless
    ``raise_on_failure`` is false. Data Docs are rebuilt either way.
    """
    context = context or quality_context()
    con, inventory, parameters = _landing_connection(Path(landing_dir))
    try:
        result = _run_checks("landing", con, run_id, context, parameters=parameters,
                             frames={"landing.inventory": inventory})
    finally:
        con.close()
    if raise_on_failure:
        result.raise_for_failures()
    return result


def _marts_inventory(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    found = {f"{schema}.{name}" for schema, name in con.sql(
        "select table_schema, table_name from information_schema.tables").fetchall()}
    wanted = [f"marts.{t}" for t in MART_TABLES] + [f"matching.{t}" for t in MATCHING_TABLES]
    return pd.DataFrame({"table_key": wanted, "present": [t in found for t in wanted]})


def run_marts_gate(db_path: Path, run_id: str, *, con: duckdb.DuckDBPyConnection | None = None,
                   context=None, raise_on_failure: bool = True) -> GateResult:
    """Gate 2, before publishing: validate the marts in the build file.

    Opens ``db_path`` read-only (and closes it again), or uses ``con`` when given (for a caller
    that already holds the file). Raises QualityGateError (carrying ``.result``) when a critical
    expectation fails, unless ``raise_on_failure`` is false. Data Docs are rebuilt either way.
    """
    context = context or quality_context()
    own = con is None
    if own:
        con = duckdb.connect(str(db_path), read_only=True)
    try:
        result = _run_checks("marts", con, run_id, context, parameters={},
                             frames={"marts.inventory": _marts_inventory(con)})
    finally:
        if own:
            con.close()
    if raise_on_failure:
        result.raise_for_failures()
    return result


def main() -> None:
    """``python -m wfh.quality``: write the checks of this module into ``expectations/``."""
    context = open_project(paths().expectations, paths().data_docs)
    changed = sync_project(context)
    print("\n".join(changed) if changed else f"{paths().expectations} is in sync with wfh/quality.py")


if __name__ == "__main__":
    main()
