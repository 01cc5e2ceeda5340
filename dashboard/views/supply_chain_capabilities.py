"""Supply Chain Capabilities: the capabilities each supply-chain (workflow) partner needs."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "Supply Chain Capabilities",
    "Select one or more supply-chain / workflow partners to see the capabilities they will need; "
    "several partners together give a combined organisational capability profile.",
    explain_matches=True,
)
rows = data.query(
    """
    SELECT partner_key, partner_name, capability_key, capability_statement, match_class
    FROM marts.supply_chain_capabilities
    WHERE cycle_id = ?
    ORDER BY capability_key, partner_name
    """,
    (cycle,),
)
partners = data.partners(cycle)
names = dict(zip(partners["partner_key"], partners["partner_name"], strict=False))
chosen = st.multiselect(
    "Supply-chain partners", list(names), default=list(names), format_func=names.get, key="scc_partners"
)
classes = ui.matched_filter("scc_matched")
ui.data_gap("partners")

selected = rows[rows["partner_key"].isin(chosen) & rows["match_class"].isin(classes)]
profile = (
    selected.groupby(["capability_key", "capability_statement", "match_class"], as_index=False)
    .agg(partners=("partner_name", lambda names: "; ".join(sorted(names))), partner_count=("partner_key", "nunique"))
    .sort_values(["partner_count", "capability_key"], ascending=[False, True])
)
profile["provision"] = ui.match_label(profile["match_class"])

st.metric("Capabilities in this profile", len(profile))
chart_rows = selected.assign(provision=ui.match_label(selected["match_class"]))
if not chart_rows.empty:
    ui.show_chart(
        alt.Chart(chart_rows, title="Capabilities per partner, by match to current provision")
        .mark_bar()
        .encode(
            y=alt.Y("partner_name:N", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("count():Q", title="Capabilities", axis=ui.COUNT_AXIS),
            color=ui.colour_by("provision:N", ui.MATCH_COLOURS, "Provision"),
            tooltip=["partner_name:N", "provision:N", "count():Q"],
        )
        .properties(height=ui.ROW)
    )
ui.capability_table(
    profile,
    cycle,
    {
        "partners": "Supply-chain partners",
        "provision": "Provision",
        "partner_count": "Partners",
    },
    key="scc_table",
    name="supply-chain capability profile",
)
