"""The GX project under ``expectations/``: opened per (project, data docs) pair and kept in sync
with the checks of :mod:`wfh.quality.landing` and :mod:`wfh.quality.marts`.

``python -m wfh.quality`` writes the checks into the project; ``tests/quality`` fails when the
committed project is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from wfh.quality.checks import BATCH, GATES, Check, gx
from wfh.settings import paths


def all_checks() -> list[Check]:
    """Every GX check of both gates (findings are not GX objects)."""
    from wfh.quality.landing import landing_checks
    from wfh.quality.marts import marts_checks

    return landing_checks() + marts_checks()


_CONTEXTS: dict[tuple[Path, Path], object] = {}


def validation_results_dir(data_docs: Path) -> Path:
    """The JSON validation results live next to the Data Docs built from them."""
    return data_docs / "validation_results"


def open_project(project_dir: Path, data_docs: Path):
    """The file-backed GX project, its run-time output (Data Docs, JSON results) under ``data_docs``."""
    return gx.get_context(
        mode="file",
        project_root_dir=str(project_dir),
        runtime_environment={
            "wfh_data_docs_dir": str(data_docs),
            "wfh_validation_results_dir": str(validation_results_dir(data_docs)),
        },
    )


def quality_context(project_dir: Path | None = None, data_docs: Path | None = None):
    """The GX project (default ``expectations/``), synced with the checks of both gates.

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
    return (
        json.dumps(meta, sort_keys=True, default=str),
        [json.dumps(_expectation_signature(e), sort_keys=True, default=str) for e in suite.expectations],
    )


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
            stale = definition.suite.name != check.suite or definition.asset.name != check.suite
        except Exception:  # noqa: BLE001
            definition, stale = None, True
        if stale:
            definition = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=check.suite, data=batch, suite=suite)
            )
            changed.append(f"validation definition {check.suite}")
        try:
            context.checkpoints.get(check.suite)
        except Exception:  # noqa: BLE001
            context.checkpoints.add_or_update(
                gx.Checkpoint(
                    name=check.suite, validation_definitions=[definition], actions=[], result_format="SUMMARY"
                )
            )
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
