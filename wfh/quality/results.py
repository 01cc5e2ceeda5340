"""Gate results: one row per expectation (or finding) per run, and ``ops.quality_results``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import astuple, dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from wfh.errors import QualityGateError
from wfh.quality.checks import CRITICAL, FINDING, Check, Finding
from wfh.warehouse import ensure_ops_schema


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
    findings: list[str] = field(init=False)

    def __post_init__(self) -> None:
        failed = [r for r in self.results if not r.success]
        self.failed_critical = [r.label for r in failed if r.severity == CRITICAL]
        self.failed_warnings = [r.label for r in failed if r.severity != CRITICAL]
        self.findings = [r.label for r in self.results if r.severity == FINDING]

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
                f"Data Docs: {self.data_docs}"
            )
            error.result = self
            raise error


def column_of(kwargs: dict) -> str | None:
    if kwargs.get("column"):
        return kwargs["column"]
    if kwargs.get("column_list"):
        return ", ".join(kwargs["column_list"])
    return None


def short(value: object, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def observed(result: dict, exception: dict | None) -> str | None:
    if exception and exception.get("raised_exception"):
        return short("error: " + str(exception.get("exception_message")))
    if "observed_value" in result:
        return short(result["observed_value"])
    if "unexpected_count" in result:
        text = f"{result['unexpected_count']} of {result.get('element_count')} unexpected"
        examples = result.get("partial_unexpected_list") or []
        return short(text + (f": {json.dumps(examples[:10], default=str)}" if examples else ""))
    return None


def results_of(checkpoint_result, check: Check, run_id: str, run_at: datetime) -> list[QualityResult]:
    rows = []
    for validation in checkpoint_result.run_results.values():
        for item in validation.results:
            config = item.expectation_config
            rows.append(
                QualityResult(
                    run_id=run_id,
                    run_at=run_at,
                    checkpoint=checkpoint_result.checkpoint_config.name,
                    suite=check.suite,
                    expectation=config.type,
                    column_name=column_of(config.kwargs),
                    success=bool(item.success),
                    observed_value=observed(item.result or {}, item.exception_info),
                    severity=str(getattr(config.severity, "value", config.severity) or CRITICAL),
                )
            )
    return rows


def suite_result(
    suite: str, expectation: str, success: bool, observed: str, severity: str, run_id: str, run_at: datetime
) -> QualityResult:
    """A result the gate makes itself (not from a GX validation): one per suite, no column."""
    return QualityResult(run_id, run_at, suite, suite, expectation, None, success, observed, severity)


def unreadable(check: Check | Finding, error: Exception, run_id: str, run_at: datetime) -> QualityResult:
    """A frame that cannot even be read (missing table or column) fails its check outright."""
    return suite_result(check.suite, "frame_is_readable", False, short(f"error: {error}"), CRITICAL, run_id, run_at)


def write_results(con: duckdb.DuckDBPyConnection, results: Sequence[QualityResult]) -> int:
    """Append results to ``ops.quality_results`` (created if missing); returns the rows written."""
    ensure_ops_schema(con)
    rows = [astuple(r) for r in results]
    if rows:
        con.executemany(
            "insert into ops.quality_results (run_id, run_at, checkpoint, suite, "
            "expectation, column_name, success, observed_value, severity) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


FINDING_TEXT = 1000  # characters of a finding's observed value (count and examples)


def finding_result(finding: Finding, frame, run_id: str, run_at: datetime) -> QualityResult:
    """A finding's count and up to ten example rows (as lists of values, so the keys fit), recorded
    as a passed result of severity finding."""
    examples = [list(row) for row in frame.head(10).itertuples(index=False)]
    text = f"{len(frame)} row(s)" + (f": {json.dumps(examples, default=str)}" if examples else "")
    return suite_result(finding.suite, "finding_count", True, short(text, FINDING_TEXT), FINDING, run_id, run_at)
