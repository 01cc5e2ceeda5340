"""Data Capture Overview: what the cycle captured, in one view."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, ui

ui.page_intro(
    "Data Capture Overview",
    "A summary of the data captured across the foresight cycle: the work of technologists and domain "
    "specialists, employers and educators in one overview.",
)
cycle = ui.cycle_id()
overview = data.query("SELECT * FROM marts.data_capture_overview WHERE cycle_id = ?", (cycle,))
row = overview.iloc[0]
st.subheader(row["cycle_title"] or cycle)

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
            "capabilities": [
                row["matched_capabilities"], row["partial_capabilities"], row["unmatched_capabilities"]
            ],
        }
    )
    ui.show_chart(ui.match_class_bar(provision, "capabilities", "Capabilities against current provision"))
with right:
    participants = pd.DataFrame(
        {
            "group": ["Technologists / domain specialists", "Industry / employers", "Skills / educators"],
            "participants": [
                row["participants_technology"], row["participants_industry"], row["participants_skills"]
            ],
        }
    )
    ui.show_chart(
        alt.Chart(participants, title="Participating organisations")
        .mark_bar()
        .encode(
            x=alt.X("participants:Q", title="Organisations", axis=ui.COUNT_AXIS),
            y=alt.Y("group:N", title=None),
            tooltip=["group:N", "participants:Q"],
        )
        .properties(height=ui.ROW)
    )

st.subheader("All cycles in the warehouse")
everything = data.query("SELECT * FROM marts.data_capture_overview ORDER BY cycle_id")
ui.table(
    everything,
    {
        "cycle_id": "Cycle",
        "cycle_title": "Title",
        "capabilities": "Capabilities",
        "fops": "FOPs",
        "priority_fops": "Priority FOPs",
        "partners": "Partners",
        "themes": "Themes",
        "matched_capabilities": "Matched",
        "partial_capabilities": "Partial",
        "unmatched_capabilities": "Not matched",
    },
)
