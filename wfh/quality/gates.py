"""Running a gate: every GX check validated by its checkpoint, every finding counted, the Data
Docs and the run page rebuilt; ``run_landing_gate`` and ``run_marts_gate`` are the two gates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

from wfh.quality.landing import landing_connection, landing_findings
from wfh.quality.marts import marts_findings, marts_inventory
from wfh.quality.pages import forget_old_runs, site_dir, write_run_page
from wfh.quality.project import all_checks, quality_context
from wfh.quality.results import GateResult, QualityResult, finding_result, results_of, unreadable


def run_checks(
    gate: str,
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    context,
    *,
    frames: dict[str, pd.DataFrame],
    parameters: dict[str, dict],
    findings: list,
) -> GateResult:
    """Validate every check of a gate, then count its findings; ``frames`` holds the frames the
    gate built in Python."""
    run_at = datetime.now(UTC)
    run_identifier = RunIdentifier(run_name=run_id, run_time=run_at)
    results: list[QualityResult] = []
    validations: dict[str, object] = {}
    for check in [c for c in all_checks() if c.gate == gate]:
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


def run_landing_gate(landing_dir: Path, run_id: str, *, context=None, raise_on_failure: bool = True) -> GateResult:
    """Gate 1, before dbt: validate every landing table and the links between them.

    Raises QualityGateError (carrying ``.result``) when a critical expectation fails, unless
    ``raise_on_failure`` is false. Data Docs are rebuilt either way.
    """
    context = context or quality_context()
    con, inventory, parameters = landing_connection(Path(landing_dir))
    try:
        result = run_checks(
            "landing",
            con,
            run_id,
            context,
            parameters=parameters,
            frames={"landing.inventory": inventory},
            findings=landing_findings(),
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
