"""What a check is: one frame (a DuckDB query) plus the GX expectations it must meet, or a finding.

Each GX check is one suite, validated by one checkpoint of the same name in the file-backed GX
project under ``expectations/`` (written by :mod:`wfh.quality.project`). A *finding* is not an
expectation: the gate counts the rows its query returns and records the count (a known quirk of a
source or of the report, e.g. a FOP the report rates on no capability), so it never fails and a
clean run reads "passed".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path

from wfh.settings import set_environment_defaults

set_environment_defaults()  # GX reads GX_ANALYTICS_ENABLED when it is imported

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.expectations.row_conditions import Column  # noqa: E402,F401 (used by the gates)

CRITICAL, WARNING, FINDING = "critical", "warning", "finding"
BATCH = "whole dataframe"
GATES = ("landing", "marts")


@dataclass(frozen=True)
class Check:
    """One frame to validate and what it must meet: one GX suite, asset and checkpoint.

    ``sql`` runs in DuckDB (landing: views ``<source>.<table>``; marts: the build file); ``None``
    for the inventory, which the gate builds from the files or the catalog.
    ``expectations`` is a function building fresh GX expectations (GX binds them to one suite).
    ``defined_in`` is the module that states the check (recorded in the suite's meta).
    """

    gate: str
    name: str
    sql: str | None
    expectations: Callable[[], list]
    defined_in: str = "wfh/quality"

    @property
    def suite(self) -> str:
        return f"{self.gate}.{self.name}"

    def build_suite(self) -> gx.ExpectationSuite:
        meta = {"defined_in": self.defined_in, "frame": self.sql or "built by the gate in Python"}
        # Passed to the constructor: ``add_expectation`` on a suite whose name is already stored
        # would write straight into the stored suite.
        return gx.ExpectationSuite(name=self.suite, meta=meta, expectations=self.expectations())


@dataclass(frozen=True)
class Finding:
    """A query whose rows are counted and recorded, never failed: ``<gate>.finding.<name>``."""

    gate: str
    name: str
    sql: str
    description: str

    @property
    def suite(self) -> str:
        return f"{self.gate}.finding.{self.name}"


def columns_are(*names: str, exact: bool = True) -> gxe.Expectation:
    """The table's columns are exactly these (landing adds ``_loaded_at``) or, for marts, include them."""
    return gxe.ExpectTableColumnsToMatchSet(column_set=sorted(names), exact_match=exact, severity=CRITICAL)


def landing_columns(*names: str) -> gxe.Expectation:
    return columns_are(*names, "_loaded_at")


def row_count_in_range() -> gxe.Expectation:
    """Rows within the range the landing contract gives for the landed version (parameters)."""
    return gxe.ExpectTableRowCountToBeBetween(
        min_value={"$PARAMETER": "min_rows"}, max_value={"$PARAMETER": "max_rows"}, severity=CRITICAL
    )


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
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, severity=severity)


def matches(column: str, regex: str, severity: str = CRITICAL) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=regex, severity=severity)


def no_rows(description: str, severity: str = CRITICAL) -> gxe.Expectation:
    """For cross-table checks: the query returns the offending rows, so there must be none."""
    return gxe.ExpectTableRowCountToEqual(value=0, severity=severity, description=description)


def table_check(gate: str, schema: str, table: str, expectations: Callable[[], list], defined_in: str) -> Check:
    return Check(gate, f"{schema}.{table}", f'select * from {schema}."{table}"', expectations, defined_in)


def orphan_check(gate: str, name: str, sql: str, description: str, defined_in: str) -> Check:
    """A cross-table check: the query returns the offending rows, and there must be none."""
    return Check(gate, f"check.{name}", sql, lambda: [no_rows(description)], defined_in)


# --- cross-table checks and findings: one SQL file each --------------------------------------

SQL = Path(__file__).resolve().parent / "sql"


def sql_files(gate: str, kind: str) -> list[tuple[str, str, str]]:
    """(name, description, query) of every ``sql/<gate>/<kind>/<name>.sql``, by name.

    The file's leading ``--`` lines are the description; the rest is the query, which returns the
    offending rows (checks) or the rows to count (findings).
    """
    found = []
    for path in sorted((SQL / gate / kind).glob("*.sql")):
        lines = path.read_text(encoding="utf-8").splitlines()
        comment = list(takewhile(lambda line: line.startswith("--"), lines))
        description = " ".join(line.removeprefix("--").strip() for line in comment)
        found.append((path.stem, description, "\n".join(lines[len(comment) :])))
    return found


def cross_table_checks(gate: str) -> list[Check]:
    """The gate's cross-table checks (``sql/<gate>/checks/``): each query must return no rows."""
    return [
        orphan_check(gate, name, query, description, f"wfh/quality/sql/{gate}/checks/{name}.sql")
        for name, description, query in sql_files(gate, "checks")
    ]


def findings(gate: str) -> list[Finding]:
    """The gate's findings (``sql/<gate>/findings/``): counted and listed on every run, never failed."""
    return [Finding(gate, name, query, description) for name, description, query in sql_files(gate, "findings")]
