"""Running a gate: every GX check validated by its checkpoint, every finding counted, the Data
Docs and the run page rebuilt; ``run_landing_gate`` and ``run_marts_gate`` are the two gates."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

from wfh.contracts import contracts
from wfh.quality.checks import FINDING, Check, Finding
from wfh.quality.landing import landing_connection, landing_findings
from wfh.quality.marts import marts_findings, marts_inventory
from wfh.quality.pages import forget_old_runs, site_dir, write_run_page
from wfh.quality.project import all_checks, quality_context
from wfh.quality.results import GateResult, QualityResult, finding_result, results_of, suite_result, unreadable


def run_checks(
    gate: str,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    context,
    *,
    frames: dict[str, pd.DataFrame],
    parameters: dict[str, dict],
    findings: list,
    only: Callable[[Check | Finding], bool] | None = None,
) -> GateResult:
    """Validate every check of a gate (or those ``only`` keeps), then count its findings (same
    filter); ``frames`` holds the frames the gate built in Python."""
    run_at = datetime.now(UTC)
    run_identifier = RunIdentifier(run_name=run_id, run_time=run_at)
    results: list[QualityResult] = []
    validations: dict[str, object] = {}
    findings = [f for f in findings if only is None or only(f)]
    for check in [c for c in all_checks() if c.gate == gate and (only is None or only(c))]:
        try:
            frame = frames[check.suite] if check.sql is None else con.sql(check.sql).df()
        except duckdb.Error as error:
            results.append(unreadable(check, error, run_id, run_at))
            continue
        checkpoint = context.checkpoints.get(check.suite)
        outcome = checkpoint.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters.get(check.suite),
            run_id=run_identifier,
        )
        results += results_of(outcome, check, run_id, run_at)
        validations[check.suite] = next(iter(outcome.run_results))
    for finding in findings:
        try:
            results.append(finding_result(finding, con.sql(finding.sql).df(), run_id, run_at))
        except duckdb.Error as error:
            results.append(unreadable(finding, error, run_id, run_at))
    forget_old_runs(context)
    suites = [ExpectationSuiteIdentifier(name=name) for name in validations]
    context.build_data_docs(resource_identifiers=[*validations.values(), *suites])
    result = GateResult(gate=gate, run_id=run_id, results=results)
    pages = {
        suite: context.get_docs_sites_urls(resource_identifier=key)[0]["site_url"] for suite, key in validations.items()
    }
    result.data_docs = write_run_page(result, site_dir(context), pages)
    return result


def sources_of(check: Check | Finding) -> set[str]:
    """The landing sources a landing check or finding reads: the table's source for a table check
    (``landing.<source>.<table>``), the sources its SQL names for a cross-table check or a finding,
    none for the inventory (which every run checks)."""
    known = set(contracts())
    parts = check.suite.split(".")
    if len(parts) == 3 and parts[1] in known:
        return {parts[1]}
    sql = getattr(check, "sql", None) or ""
    return {s for s in known if re.search(rf'(?<![\w"]){re.escape(s)}"?\.', sql)}


def run_landing_gate(
    landing_dir: Path,
    run_id: str,
    *,
    context=None,
    raise_on_failure: bool = True,
    sources: Collection[str] | None = None,
) -> GateResult:
    """Gate 1, before dbt: validate every landing table and the links between them.

    With ``sources``, only the checks and findings that read one of those sources run (plus the
    inventory): the others' files did not change since their last validation (see
    :func:`kept_landing_results`). Raises QualityGateError (carrying ``.result``) when a critical
    expectation fails, unless ``raise_on_failure`` is false. Data Docs are rebuilt either way.
    """
    context = context or quality_context()
    con, inventory, parameters = landing_connection(Path(landing_dir))
    wanted = None if sources is None else set(sources)
    try:
        result = run_checks(
            "landing",
            con,
            run_id,
            context,
            parameters=parameters,
            frames={"landing.inventory": inventory},
            findings=landing_findings(),
            only=None if wanted is None else lambda check: not sources_of(check) or bool(sources_of(check) & wanted),
        )
    finally:
        con.close()
    if raise_on_failure:
        result.raise_for_failures()
    return result


def run_marts_gate(
    db_path: Path,
    run_id: str,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    context=None,
    raise_on_failure: bool = True,
) -> GateResult:
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
        result = run_checks(
            "marts",
            con,
            run_id,
            context,
            parameters={},
            frames={"marts.inventory": marts_inventory(con)},
            findings=marts_findings(),
        )
    finally:
        if own:
            con.close()
    if raise_on_failure:
        result.raise_for_failures()
    return result


KEPT = "kept from run {run_id} (its files are unchanged since): "
SCOPE_FINDING = "landing.finding.gate_scope"


def kept_landing_results(
    con: duckdb.DuckDBPyConnection, validated: Collection[str], run_id: str
) -> list[QualityResult]:
    """The last recorded landing results of the suites this run's landing gate did not validate
    (their sources' files are unchanged), recorded again under this run with their original time and
    ``kept from run <id>`` before the observed value; plus one finding saying what was validated
    and what was kept, so every run's report stays complete. ``validated``: the suites this run's
    landing gate did validate. Empty when nothing was skipped."""
    done = set(validated)
    if not con.sql(
        "select count(*) from duckdb_tables() where schema_name = 'ops' and table_name = 'quality_results'"
    ).fetchall()[0][0]:
        return []
    last = con.sql(
        """select run_id, run_at, checkpoint, suite, expectation, column_name, success, observed_value, severity
           from ops.quality_results
           where checkpoint like 'landing.%' and run_id = (
               select run_id from ops.quality_results where checkpoint like 'landing.%'
               order by run_at desc limit 1)"""
    ).fetchall()
    kept = []
    for row in last:
        if row[3] in done or row[3] == SCOPE_FINDING:
            continue
        observed = row[7] or ""
        if not observed.startswith("kept from run "):  # kept twice: still names the run that validated it
            observed = KEPT.format(run_id=row[0]) + observed
        kept.append(QualityResult(run_id, row[1], *row[2:7], observed, row[8]))
    if not kept:
        return []
    origins = sorted({r.observed_value.split(" ", 4)[3] for r in kept})
    validated_sources = sorted({s for suite in done for s in _suite_sources(suite)})
    note = (
        f"validated in this run: {', '.join(validated_sources) or 'the inventory only'}; "
        f"{len(kept)} result(s) of unchanged sources kept from run(s) {', '.join(origins)}"
    )
    return [*kept, suite_result(SCOPE_FINDING, "finding_count", True, note, FINDING, run_id, datetime.now(UTC))]


def _suite_sources(suite: str) -> set[str]:
    parts = suite.split(".")
    return {parts[1]} if len(parts) == 3 and parts[1] in contracts() else set()
