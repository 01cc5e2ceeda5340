"""Fit & Surplus Factors: how well each Skills England standard covers a FOP, and what it adds."""

import altair as alt
import streamlit as st

from dashboard import data, ui

ui.page_intro(
    "Fit & Surplus Factors",
    "Fit: share of the FOP's capabilities that the standard's statements cover. Surplus: share of the "
    "standard's statements the FOP does not need. They are two separate calculations and may sum past 100%.",
)
cycle = ui.cycle_id()
left, right = st.columns(2)
with left:
    fop_key, fop_name = ui.fop_select(cycle, key="fsf")
with right:
    top = st.slider("Standards shown (best fit first)", 5, 50, 10, key="fsf_top")
    minimum_fit = st.slider("Minimum fit", 0.0, 1.0, 0.0, 0.05, key="fsf_min_fit", format="%.2f")

rows = data.query(
    """
    SELECT standard_key, standard_reference, standard_title, standard_level, standard_status,
           fop_capabilities, fop_capabilities_matched, standard_statements, standard_statements_matched,
           fit, surplus
    FROM marts.fop_standard_fit
    WHERE cycle_id = ? AND fop_key = ? AND fit >= ?
    ORDER BY fit DESC, surplus ASC, standard_key
    LIMIT ?
    """,
    (cycle, fop_key, minimum_fit, top),
)
st.caption(f"{len(rows)} standards for {fop_name}")
if not rows.empty:
    bars = rows.melt(
        id_vars=["standard_key", "standard_reference", "standard_title"],
        value_vars=["fit", "surplus"],
        var_name="factor",
        value_name="share",
    )
    bars["standard"] = bars["standard_reference"] + " " + bars["standard_title"].map(lambda t: ui.short(t, 45))
    ui.show_chart(
        alt.Chart(bars, title=f"Fit and surplus of the best-fitting standards for {fop_name}")
        .mark_bar()
        .encode(
            y=alt.Y("standard:N", title=None, sort=None, axis=alt.Axis(labelLimit=360)),
            yOffset="factor:N",
            x=alt.X("share:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("factor:N", title=None,
                            scale=alt.Scale(domain=["fit", "surplus"], range=["#1565c0", "#bdbdbd"])),
            tooltip=["standard_reference:N", "standard_title:N", "factor:N",
                     alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=alt.Step(36))
    )
ui.table(
    rows,
    {
        "standard_reference": "Standard",
        "standard_title": "Title",
        "standard_level": "Level",
        "standard_status": "Status",
        "fit": ui.percent_column("Fit", "Share of the FOP's capabilities covered by the standard"),
        "surplus": ui.percent_column("Surplus", "Share of the standard's statements the FOP does not need"),
        "fop_capabilities_matched": "FOP capabilities covered",
        "fop_capabilities": "FOP capabilities",
        "standard_statements_matched": "Statements used",
        "standard_statements": "Statements",
    },
    key="fsf_table",
)
