"""Quality gates: Great Expectations checks on the landing zone (before dbt) and the marts (before publishing).

One module per job:

- :mod:`~wfh.quality.checks`: what a check (and a finding) is, and the expectation helpers;
- :mod:`~wfh.quality.landing`: gate 1's checks, derived from the landing contracts (``wfh/contracts.py``);
- :mod:`~wfh.quality.marts`: gate 2's checks, only what dbt's own tests do not check;
- :mod:`~wfh.quality.project`: the GX project under ``expectations/``, kept in sync with the checks;
- :mod:`~wfh.quality.gates`: running a gate; :mod:`~wfh.quality.results`: its results and
  ``ops.quality_results``; :mod:`~wfh.quality.pages`: the static run pages next to the Data Docs.

GX cannot validate DuckDB through its SQL datasource here (see docs/quality.md), and its single-table
expectations cannot join. So every frame is computed in DuckDB, converted to pandas and validated by
a pandas dataframe asset: a table check reads a whole table, a cross-table check is a query returning
the offending rows, expected to return none. A failed ``critical`` expectation fails the gate
(:class:`wfh.errors.QualityGateError` names it); ``warning`` results are recorded and shown; findings
(known quirks, counted on every run) never fail. Who owns which invariant: docs/quality.md.
"""

from __future__ import annotations

from wfh.quality.checks import CRITICAL, FINDING, WARNING, Check, Finding
from wfh.quality.gates import kept_landing_results, run_landing_gate, run_marts_gate
from wfh.quality.landing import landing_checks, landing_findings, landing_version, row_count_range
from wfh.quality.marts import MART_TABLES, MATCHING_TABLES, marts_checks, marts_findings
from wfh.quality.pages import DATA_DOCS_RUNS, forget_old_runs, write_run_page
from wfh.quality.project import all_checks, open_project, quality_context, sync_project, validation_results_dir
from wfh.quality.results import GateResult, QualityResult, write_results

__all__ = [
    "CRITICAL",
    "DATA_DOCS_RUNS",
    "FINDING",
    "MART_TABLES",
    "MATCHING_TABLES",
    "WARNING",
    "Check",
    "Finding",
    "GateResult",
    "QualityResult",
    "all_checks",
    "forget_old_runs",
    "kept_landing_results",
    "landing_checks",
    "landing_findings",
    "landing_version",
    "marts_checks",
    "marts_findings",
    "open_project",
    "quality_context",
    "row_count_range",
    "run_landing_gate",
    "run_marts_gate",
    "sync_project",
    "validation_results_dir",
    "write_results",
    "write_run_page",
]


def main() -> None:
    """``python -m wfh.quality``: write the checks into ``expectations/``."""
    from wfh.settings import paths

    context = open_project(paths().expectations, paths().data_docs)
    changed = sync_project(context)
    print("\n".join(changed) if changed else f"{paths().expectations} is in sync with wfh/quality")
