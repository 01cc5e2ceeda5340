"""Results in ops.quality_results, Data Docs on disk, and the committed GX project in sync with the code."""

from __future__ import annotations

import json
import shutil

import duckdb

from wfh.quality import (
    CRITICAL,
    FINDING,
    all_checks,
    forget_old_runs,
    open_project,
    run_marts_gate,
    sync_project,
    validation_results_dir,
    write_results,
)
from wfh.settings import paths

RESULT_COLUMNS = [
    "run_id",
    "run_at",
    "checkpoint",
    "suite",
    "expectation",
    "column_name",
    "success",
    "observed_value",
    "severity",
]


def test_results_are_appended_to_ops_quality_results(make_marts_db, gx_context, tmp_path):
    good = run_marts_gate(make_marts_db(), "run-1", context=gx_context)
    bad = run_marts_gate(
        make_marts_db("update matching.capability_provision_candidates set similarity = 1.5 where rank = 1"),
        "run-2",
        context=gx_context,
        raise_on_failure=False,
    )
    with duckdb.connect(str(tmp_path / "results.duckdb")) as con:
        assert write_results(con, good.results) == len(good.results)
        write_results(con, bad.results)
        columns = [row[0] for row in con.sql("describe ops.quality_results").fetchall()]
        assert columns == RESULT_COLUMNS
        per_run = dict(
            con.sql(
                "select run_id, count(*) filter (where not success and severity = 'critical') "
                "from ops.quality_results group by run_id"
            ).fetchall()
        )
        rows = con.sql(
            "select checkpoint, column_name, observed_value, severity, success "
            "from ops.quality_results where run_id = 'run-2' and not success"
        ).fetchall()
    assert per_run == {"run-1": 0, "run-2": 1}
    assert rows == [
        (
            "marts.matching.capability_provision_candidates",
            "similarity",
            "3 of 6 unexpected: [1.5, 1.5, 1.5]",
            CRITICAL,
            False,
        )
    ]
    assert {r.severity for r in good.results} == {CRITICAL, FINDING}


def test_data_docs_and_json_results_are_written(make_marts_db, gx_context):
    result = run_marts_gate(
        make_marts_db("update marts.fop_standard_fit set fit = null"),
        "run-docs",
        context=gx_context,
        raise_on_failure=False,
    )
    run_page, site = result.data_docs, result.data_docs.parent.parent
    assert "run-docs" in (site / "index.html").read_text()
    gx_pages = list((site / "validations" / "marts" / "marts" / "fop_standard_fit" / "run-docs").rglob("*.html"))
    assert len(gx_pages) == 1
    # the run's own page works without JavaScript: the failure first, linked to GX's page for the suite
    text = run_page.read_text()
    assert run_page.name.endswith("-marts-run-docs.html") and "FAILED" in text
    assert text.index("FAILED (critical)") < text.index("passed</td>")
    assert f'href="../{gx_pages[0].relative_to(site)}"' in text
    assert f"runs/{run_page.name}" in (site / "quality.html").read_text()
    stored = list((validation_results_dir(site) / "marts" / "marts" / "fop_standard_fit" / "run-docs").rglob("*.json"))
    assert len(stored) == 1
    saved = json.loads(stored[0].read_text())
    assert saved["success"] is False
    failed = [r["expectation_config"]["kwargs"].get("column") for r in saved["results"] if not r["success"]]
    assert failed == ["fit"]


def test_committed_project_is_in_sync_with_the_code(tmp_path):
    """expectations/ holds exactly the checks of wfh/quality (``python -m wfh.quality`` and commit if not)."""
    copy = tmp_path / "expectations"
    shutil.copytree(paths().expectations, copy, ignore=shutil.ignore_patterns("uncommitted"))
    context = open_project(copy, tmp_path / "docs")
    assert sync_project(context) == []
    assert {s.name for s in context.suites.all()} == {c.suite for c in all_checks()}
    assert {c.name for c in context.checkpoints.all()} == {c.suite for c in all_checks()}


def test_data_docs_keep_only_the_recent_runs(make_marts_db, gx_context):
    db = make_marts_db()
    run_marts_gate(db, "run-old", context=gx_context)
    newest = run_marts_gate(db, "run-new", context=gx_context)
    forget_old_runs(gx_context, keep=1)
    gx_context.build_data_docs()
    assert {k.run_id.run_name for k in gx_context.validation_results_store.list_keys()} == {"run-new"}
    site = newest.data_docs.parent.parent
    index = (site / "index.html").read_text()
    assert "run-new" in index and "run-old" not in index
    pages = list((site / "validations").rglob("*.html"))
    assert pages and not [page for page in pages if "run-old" in page.parts]
    assert [p.name for p in (site / "runs").glob("*run-old.html")] == []
    assert newest.data_docs.is_file()
