"""FOP Distribution: how each capability is spread across FOPs and proficiency levels."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "FOP Distribution",
    "How the cycle's capabilities are distributed across the FOPs and the proficiency each FOP requires: "
    "common, cross-over capabilities are candidates for prioritised capability development.",
)
rows = data.query(
    """
    SELECT capability_key, capability_statement, fops_total, fops_awareness, fops_practitioner, fops_expert,
           awareness_fops, practitioner_fops, expert_fops
    FROM marts.fop_distribution
    WHERE cycle_id = ?
    ORDER BY fops_total DESC, capability_key
    """,
    (cycle,),
)
ui.data_gap("proficiency")
most = int(rows["fops_total"].max()) if not rows.empty else 0
minimum = st.slider(
    "Capabilities needed by at least this many FOPs",
    0,
    max(most, 1),
    min(1, most),
    key="dist_min",
    help="0 also lists the capabilities no FOP of this cycle's data needs.",
)
shown = rows[rows["fops_total"] >= minimum]
st.caption(f"{len(shown)} of {len(rows)} capabilities")

top = shown.head(30)
if not top.empty:
    long = top.melt(
        id_vars=["capability_key", "capability_statement"],
        value_vars=["fops_awareness", "fops_practitioner", "fops_expert"],
        var_name="level",
        value_name="fops",
    )
    long["level"] = long["level"].map(
        {"fops_awareness": "1 Awareness", "fops_practitioner": "2 Practitioner", "fops_expert": "3 Expert"}
    )
    long["capability"] = long["capability_statement"].map(ui.short)
    ui.show_chart(
        alt.Chart(long, title="Required proficiency across FOPs (most shared capabilities first, top 30)")
        .mark_bar()
        .encode(
            x=alt.X("fops:Q", title="FOPs", stack="zero", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(
                "capability:N",
                title=None,
                sort=top["capability_statement"].map(ui.short).tolist(),
                axis=alt.Axis(labelLimit=420),
            ),
            color=ui.colour_by("level:N", ui.PROFICIENCY_COLOURS, "Proficiency"),
            tooltip=["capability_statement:N", "level:N", "fops:Q"],
        )
        .properties(height=ui.LINE)
    )

ui.capability_table(
    shown,
    cycle,
    {
        "fops_total": "FOPs",
        "fops_awareness": "Awareness",
        "fops_practitioner": "Practitioner",
        "fops_expert": "Expert",
        "expert_fops": "FOPs at Expert",
        "practitioner_fops": "FOPs at Practitioner",
        "awareness_fops": "FOPs at Awareness",
    },
    key="dist_table",
    name="FOP distribution",
)

st.subheader("View FOPs")
if not shown.empty:
    statements = dict(zip(shown["capability_key"], shown["capability_statement"], strict=False))
    key = st.selectbox("Capability", list(statements), format_func=statements.get, key="dist_capability")
    chosen = shown[shown["capability_key"] == key].iloc[0]
    for label, column in [
        ("3 Expert", "expert_fops"),
        ("2 Practitioner", "practitioner_fops"),
        ("1 Awareness", "awareness_fops"),
    ]:
        st.markdown(f"**{label}:** {chosen[column] or '—'}")
