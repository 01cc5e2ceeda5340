"""Gate 2, before publishing: what dbt's own tests do not check (docs/quality.md, "One owner per invariant").

dbt tests own the model invariants (keys, not-null, accepted values, fit/surplus ranges, the
relationships between marts; contracts enforce the columns). This gate keeps the inventory of the
built tables, the match step's output (Python, written between the dbt builds), the value ranges
dbt does not test, the coverage across layers, and the findings (counted, never failed).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from wfh.quality.checks import (
    Check,
    Column,
    Finding,
    between,
    cross_table_checks,
    findings,
    in_set,
    not_null,
    table_check,
    unique,
)

GATE = "marts"
HERE = "wfh/quality/marts.py"
MATCHING_TABLES = ("capability_provision_candidates",)
MART_TABLES = (
    "dim_cycle",
    "dim_capability",
    "dim_fop",
    "dim_standard",
    "fct_fop_capability_proficiency",
    "capability_provision_match",
    "capability_provision_status",
    "fop_standard_fit",
    "fop_standard_fit_matrix",
    "capability_gap_actions",
    "fop_priorities",
    "report_reconciliation",
)
MATCH_CLASSES = ("match", "partial", "none")


def marts_checks() -> list[Check]:
    """Every marts check: the inventory, the match step's candidates, ranges dbt does not test,
    coverage across layers."""
    g, m = GATE, "marts"
    return [
        Check(g, "inventory", None, lambda: [in_set("present", [True])], HERE),
        table_check(
            g,
            "matching",
            "capability_provision_candidates",
            lambda: [
                between("similarity", -1, 1),
                between("rank", 1, 10),
                in_set("match_class", MATCH_CLASSES),
                unique("capability_key", "rank"),
            ],
            HERE,
        ),
        table_check(g, m, "capability_provision_status", lambda: [between("best_similarity", -1, 1)], HERE),
        table_check(g, m, "capability_gap_actions", lambda: [between("best_similarity", -1, 1)], HERE),
        table_check(
            g,
            m,
            "fop_standard_fit",
            lambda: [
                # fit is a share of the FOP's capabilities: undefined (null) for a FOP without any
                not_null("fit", where=Column("fop_capabilities") > 0),
                not_null("surplus"),
            ],
            HERE,
        ),
    ] + cross_table_checks(g)


def marts_findings() -> list[Finding]:
    """What the run found rather than failed on (``sql/marts/findings/``): counted on every run."""
    return findings(GATE)


def marts_inventory(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    found = {
        f"{schema}.{name}"
        for schema, name in con.sql("select table_schema, table_name from information_schema.tables").fetchall()
    }
    wanted = [f"marts.{t}" for t in MART_TABLES] + [f"matching.{t}" for t in MATCHING_TABLES]
    return pd.DataFrame({"table_key": wanted, "present": [t in found for t in wanted]})
