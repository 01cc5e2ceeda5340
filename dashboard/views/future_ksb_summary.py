"""Future KSBs Summary: every capability of the cycle with its knowledge, skills and O*NET links."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "Future KSBs Summary",
    "All capabilities of the cycle with their knowledge and skills tags (ESCO) and O*NET tasks and detailed "
    "work activities: the superset of the FOP Detail page, by capability rather than by FOP.",
)
rows = data.query(
    """
    SELECT capability_key, capability_statement, knowledge_tags, skills_tags, onet_tasks, onet_dwas
    FROM marts.future_ksb_summary
    WHERE cycle_id = ?
    ORDER BY capability_key
    """,
    (cycle,),
)
shown = ui.search(rows, key="ksb_search")
st.caption(f"{len(shown)} of {len(rows)} capabilities")
ui.capability_table(
    shown,
    cycle,
    {
        "knowledge_tags": "Knowledge tags",
        "skills_tags": "Skills tags",
        "onet_tasks": "O*NET tasks",
        "onet_dwas": "O*NET detailed work activities",
    },
    key="ksb_table",
    name="future KSBs summary",
)

st.subheader("Most frequent tags")
tag_type = st.radio("Tag type", ["knowledge", "skill"], horizontal=True, key="ksb_tag_type")
top = st.slider("Show the top", 5, 40, 15, key="ksb_top")
tags = data.query(
    """
    SELECT tag, our_frequency, our_rank, report_frequency, report_rank
    FROM marts.ksb_tag_frequency
    WHERE cycle_id = ? AND tag_type = ?
    ORDER BY our_frequency DESC NULLS LAST, tag
    LIMIT ?
    """,
    (cycle, tag_type, top),
)
if not tags.empty:
    ui.show_chart(
        alt.Chart(tags, title=f"Top {tag_type} tags across the cycle's capabilities")
        .mark_bar()
        .encode(
            x=alt.X("our_frequency:Q", title="Capabilities tagged", axis=ui.COUNT_AXIS),
            y=alt.Y("tag:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
            tooltip=["tag:N", "our_frequency:Q", "report_frequency:Q", "report_rank:Q"],
        )
        .properties(height=ui.LINE)
    )
ui.table(
    tags,
    {
        "tag": "Tag",
        "our_frequency": "Frequency (this warehouse)",
        "our_rank": "Rank",
        "report_frequency": "Frequency (report)",
        "report_rank": "Rank (report)",
    },
    key="ksb_tags_table",
    name=f"top {tag_type} tags",
)
