"""Data Capture Overview: what the cycle captured, in one view."""

import altair as alt
import pandas as pd
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "Data Capture Overview",
    "A summary of the data captured across the foresight cycle: the work of technologists and domain "
    "specialists, employers and educators in one overview.",
)
overview = data.query("SELECT * FROM marts.data_capture_overview WHERE cycle_id = ?", (cycle,))
row = overview.iloc[0]
st.subheader(row["cycle_title"] or cycle)
ui.data_gap("capabilities", "proficiency", "partners", "role_families", "themes")

first = st.columns(5)
first[0].metric("Capabilities", int(row["capabilities"]))
first[1].metric("FOPs", int(row["fops"]))
first[2].metric("Priority FOPs", int(row["priority_fops"]))
first[3].metric("Supply-chain partners", int(row["partners"]))
first[4].metric("Themes", int(row["themes"]))
second = st.columns(5)
second[0].metric("Knowledge tags", int(row["knowledge_tags"]))
second[1].metric("Skills tags", int(row["skills_tags"]))
second[2].metric("Matched capabilities", int(row["matched_capabilities"]))
second[3].metric("Partial matches", int(row["partial_capabilities"]))
second[4].metric("Not matched", int(row["unmatched_capabilities"]))

left, right = st.columns(2)
with left:
    provision = pd.DataFrame(
        {
            "match_class": ["match", "partial", "none"],
            "capabilities": [row["matched_capabilities"], row["partial_capabilities"], row["unmatched_capabilities"]],
        }
    )
    as_share = (
        st.radio(
            "Show",
            ["Number of capabilities", "Share of capabilities"],
            horizontal=True,
            key="dco_share",
            help=ui.MATCH_MEANING,
        )
        == "Share of capabilities"
    )
    chart = ui.match_class_bar(provision, "capabilities", "Capabilities against current provision")
    if as_share:
        total = max(int(provision["capabilities"].sum()), 1)
        provision = provision.assign(share=provision["capabilities"] / total)
        chart = ui.match_class_bar(provision, "share", "Share of capabilities against current provision").encode(
            x=alt.X(
                "share:Q", title="Share of capabilities", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            tooltip=["provision:N", alt.Tooltip("share:Q", format=".0%"), "capabilities:Q"],
        )
        chart = chart + chart.mark_text(align="left", dx=4).encode(
            text=alt.Text("share:Q", format=".0%"), color=alt.value("black")
        )
    ui.show_chart(chart)
with right:
    participants = pd.DataFrame(
        {
            "group": ["Technologists / domain specialists", "Industry / employers", "Skills / educators"],
            "participants": [row["participants_technology"], row["participants_industry"], row["participants_skills"]],
        }
    )
    ui.show_chart(
        alt.Chart(participants, title="Participating organisations")
        .mark_bar()
        .encode(
            x=alt.X("participants:Q", title="Organisations", axis=ui.COUNT_AXIS),
            y=alt.Y("group:N", title=None, axis=alt.Axis(labelLimit=400)),
            tooltip=["group:N", "participants:Q"],
        )
        .properties(height=ui.ROW)
    )

st.subheader("All cycles in the warehouse")
everything = data.query("SELECT * FROM marts.data_capture_overview ORDER BY cycle_id")
cycle_columns = {
    "cycle_id": "Cycle",
    "cycle_title": "Title",
    "capabilities": "Capabilities",
    "fops": "FOPs",
    "priority_fops": "Priority FOPs",
    "partners": "Partners",
    "themes": "Themes",
    "matched_capabilities": "Matched",
    "partial_capabilities": "Partial match",
    "unmatched_capabilities": "Not matched",
}
# A plain table: a handful of rows, every column on screen (the grid cut its last columns).
st.table(ui.readable(everything, cycle_columns).set_index("Cycle"))
ui.downloads(everything, cycle_columns, "cycles in the warehouse", "dco_cycles")
