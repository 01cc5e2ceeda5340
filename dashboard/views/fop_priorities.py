"""FOP Priorities: every FOP with its best fit and surplus, ranked for action; capability gaps by horizon."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "FOP Priorities",
    "All FOPs of the cycle with their best fit and surplus against current provision, ranked for action; "
    "and the capability gaps by horizon: short-term CPD, medium-term standard revision, long-term new standard.",
    explain_matches=True,
)
left, right = st.columns(2)
with left:
    family, in_family = ui.role_family_select(cycle, key="fp_family")
with right:
    priority_only = st.toggle("Priority FOPs only", value=False, key="fp_priority_only")

rows = data.query(
    """
    SELECT fop_key, fop_name, is_priority, capabilities, unmatched_capabilities, best_fit,
           best_fit_standard, surplus_at_best_fit, action_rank
    FROM marts.fop_priorities
    WHERE cycle_id = ?
    ORDER BY action_rank
    """,
    (cycle,),
)
rows = rows[rows["fop_key"].isin(in_family["fop_key"])]
if priority_only:
    rows = rows[ui.flag(rows["is_priority"])]
rows = rows.assign(priority=ui.flag(rows["is_priority"]).map({True: "Priority FOP", False: "Other FOP"}))
st.caption(f"{len(rows)} FOPs")
ui.data_gap("proficiency", "role_families")
if not rows.empty:
    ui.show_chart(
        alt.Chart(rows, title="Best fit to current provision per FOP (lowest fit = most action needed)")
        .mark_bar()
        .encode(
            x=alt.X("best_fit:Q", title="Best fit", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("fop_name:N", title=None, sort=rows["fop_name"].tolist(), axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "priority:N",
                title=None,
                scale=alt.Scale(domain=["Priority FOP", "Other FOP"], range=["#6a1b9a", "#b39ddb"]),
            ),
            tooltip=[
                "fop_name:N",
                "best_fit_standard:N",
                alt.Tooltip("best_fit:Q", format=".0%"),
                alt.Tooltip("surplus_at_best_fit:Q", format=".0%"),
                "unmatched_capabilities:Q",
            ],
        )
        .properties(height=ui.ROW)
    )
ui.table(
    rows,
    {
        "action_rank": "Action rank",
        "fop_name": "FOP",
        "priority": "Priority",
        "capabilities": "Capabilities",
        "unmatched_capabilities": "Not matched",
        "best_fit": ui.percent_column(
            "Best fit",
            f"Share of the FOP's capabilities covered by the best-fitting of its top {data.top_standards_per_fop()} "
            "ranked standards",
        ),
        "best_fit_standard": "Best-fitting standard",
        "surplus_at_best_fit": ui.percent_column("Surplus at best fit"),
    },
    key="fp_table",
)

st.subheader("Capability gaps by horizon")
gaps = data.query(
    """
    SELECT capability_key, capability_statement, match_class, best_similarity, horizon, horizon_reason,
           fops_needing, expert_fops
    FROM marts.capability_gap_actions
    WHERE cycle_id = ?
    ORDER BY CASE horizon WHEN 'short-term CPD' THEN 1 WHEN 'medium-term standard revision' THEN 2
                          WHEN 'long-term new standard' THEN 3 ELSE 4 END,
             fops_needing DESC, capability_key
    """,
    (cycle,),
)
HORIZONS = ["short-term CPD", "medium-term standard revision", "long-term new standard", "no FOP data"]
st.caption(
    "A horizon is judged only for capabilities a FOP lists (the level it needs decides it); "
    "“no FOP data” marks gaps no FOP of this cycle's data lists, whose horizon cannot be judged."
)
present = set(gaps["horizon"].dropna())
horizons = [h for h in HORIZONS if h in present] + sorted(present - set(HORIZONS))
horizon = st.selectbox("Horizon", [ui.ALL, *horizons], key="fp_horizon")
if not gaps.empty:
    ui.show_chart(
        alt.Chart(gaps, title="Capabilities per horizon")
        .mark_bar()
        .encode(
            x=alt.X("count():Q", title="Capabilities", axis=ui.COUNT_AXIS),
            y=alt.Y("horizon:N", title=None, sort=horizons, axis=alt.Axis(labelLimit=300)),
            tooltip=["horizon:N", "count():Q"],
        )
        .properties(height=ui.ROW)
    )
shown = gaps if horizon == ui.ALL else gaps[gaps["horizon"] == horizon]
ui.capability_table(
    shown.assign(provision=ui.match_label(shown["match_class"])),
    cycle,
    {
        "horizon": "Horizon",
        "horizon_reason": "Why this horizon",
        "provision": "Provision",
        "best_similarity": ui.similarity_column("Best similarity"),
        "fops_needing": "FOPs needing it",
        "expert_fops": "FOPs at Expert",
    },
    key="fp_gaps",
)
