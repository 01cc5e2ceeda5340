"""Data Quality: the report's own inconsistencies, Great Expectations results and refresh runs."""

import json

import altair as alt
import pandas as pd
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "Data Quality",
    "Findings about the cycle's source report (its own inconsistencies), the results of the Great "
    "Expectations quality gates, how our matches compare with the report, and the refresh runs.",
)

st.subheader("Findings in the cycle's data")
findings = data.query(
    """
    SELECT finding_id, severity, finding, detail, provenance
    FROM marts.data_quality_findings
    WHERE cycle_id = ?
    ORDER BY severity DESC, finding_id
    """,
    (cycle,),
)
severities = sorted(findings["severity"].dropna().unique())
chosen = st.multiselect("Severity", severities, default=severities, key="dq_severity")
ui.table(
    findings[findings["severity"].isin(chosen)],
    {"severity": "Severity", "finding": "Finding", "detail": "Detail", "provenance": "Where", "finding_id": "Id"},
    key="dq_findings",
    name="data quality findings",
)

st.subheader("Quality gates (Great Expectations)")
runs = data.query(
    """
    SELECT run_id, started_at, finished_at, status, source_versions, rows_per_mart, quality_status
    FROM marts.refresh_runs
    ORDER BY started_at DESC
    """
)
results = data.query(
    """
    SELECT run_id, run_at, checkpoint, suite, expectation, column_name, success, observed_value, severity
    FROM marts.quality_results
    ORDER BY run_at DESC, success, checkpoint, suite, expectation
    """
)
run_ids = list(dict.fromkeys(results["run_id"]))
if not run_ids:
    st.info("No quality results recorded in this warehouse.")
else:
    run = st.selectbox("Run", run_ids, key="dq_run")
    failed_only = st.toggle("Failed expectations only", value=False, key="dq_failed_only")
    in_run = results[results["run_id"] == run]
    passed_flags = ui.flag(in_run["success"])
    # One bar per gate and source (e.g. "landing.esco", "marts"), not one per table's checkpoint.
    summary = in_run.assign(
        result=passed_flags.map({True: "passed", False: "failed"}),
        area=in_run["checkpoint"].str.split(".").str[:2].str.join(" · ").str.replace("marts · marts", "marts"),
    )
    ui.show_chart(
        alt.Chart(summary, title="Expectations per quality gate and source")
        .mark_bar()
        .encode(
            x=alt.X("count():Q", title="Expectations", axis=ui.COUNT_AXIS),
            y=alt.Y("area:N", title=None, axis=alt.Axis(labelLimit=400)),
            color=alt.Color(
                "result:N", title=None, scale=alt.Scale(domain=["passed", "failed"], range=["#2e7d32", "#c62828"])
            ),
            tooltip=["area:N", "result:N", "count():Q"],
        )
        .properties(height=ui.ROW)
    )
    passed = int(passed_flags.sum())
    st.caption(f"{passed} of {len(in_run)} expectations passed in run {run}")
    shown = in_run[~passed_flags] if failed_only else in_run
    ui.table(
        shown,
        {
            "success": st.column_config.CheckboxColumn("Passed"),
            "checkpoint": "Checkpoint",
            "expectation": "Expectation",
            "column_name": "Column",
            "observed_value": "Observed",
            "severity": "Severity",
        },
        key="dq_results",
        name=f"quality results {run}",
    )

st.subheader("Our matches against the report")
reconciliation = data.query(
    """
    SELECT capability_key, capability_statement, report_without_provision, our_match_class, agrees,
           best_similarity, best_standard_title, best_statement_text, explanation
    FROM marts.report_reconciliation
    WHERE cycle_id = ?
    ORDER BY agrees, best_similarity DESC NULLS LAST
    """,
    (cycle,),
)
agrees = ui.flag(reconciliation["agrees"])
agreeing = int(agrees.sum())
st.caption(
    f"{agreeing} of {len(reconciliation)} capabilities agree with the report's Appendix A "
    "(capabilities without identified provision)."
)
disagreements_only = st.toggle("Disagreements only", value=False, key="dq_disagreements")
shown = reconciliation[~agrees] if disagreements_only else reconciliation
ui.capability_table(
    shown.assign(ours=ui.match_label(shown["our_match_class"])),
    cycle,
    {
        "report_without_provision": st.column_config.CheckboxColumn("Report: no provision"),
        "ours": "Our match",
        "agrees": st.column_config.CheckboxColumn("Agrees"),
        "best_similarity": ui.similarity_column("Best similarity"),
        "best_standard_title": "Best standard",
        "explanation": "Explanation",
    },
    key="dq_reconciliation",
    name="our matches against the report",
)

st.subheader("Refresh runs")


def parsed(text: object) -> dict:
    """A JSON column of refresh_runs as a dict (empty when missing or unreadable)."""
    try:
        value = json.loads(text) if isinstance(text, str) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


runs = runs.assign(
    sources=runs["source_versions"].map(lambda t: "; ".join(f"{k} {v}" for k, v in parsed(t).items())),
    marts=runs["rows_per_mart"].map(lambda t: len(parsed(t))),
)
ui.table(
    runs,
    {
        "run_id": "Run",
        "started_at": "Started",
        "finished_at": "Finished",
        "status": "Status",
        "quality_status": "Quality",
        "sources": st.column_config.TextColumn("Source versions", width="large"),
        "marts": "Marts built",
    },
    key="dq_runs",
    name="refresh runs",
)
if not runs.empty:
    with st.expander(f"Rows per mart in run {runs['run_id'].iloc[0]}"):
        counts = pd.DataFrame(sorted(parsed(runs["rows_per_mart"].iloc[0]).items()), columns=["mart", "rows"])
        ui.table(counts, {"mart": "Mart", "rows": "Rows"}, key="dq_rows_per_mart", name="rows per mart")
