"""Fit & Surplus Factors: how well each Skills England standard covers a FOP, and what it adds."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "Fit & Surplus Factors",
    "Fit: share of the FOP's capabilities that the standard's statements cover (Matched or Partial match). "
    "Surplus: share of the standard's statements the FOP does not need. They are two separate calculations "
    "and may sum past 100%.",
    explain_matches=True,
)
left, right = st.columns(2)
with left:
    fop_key, fop_name = ui.fop_select(cycle, key="fsf")
with right:
    top = st.slider("Standards shown (best first)", 5, 50, 10, key="fsf_top")
    minimum_fit = st.slider("Minimum fit", 0, 100, 0, 5, key="fsf_min_fit", format="%d%%") / 100
    include_all = ui.include_all_statuses("fsf_all_statuses")
ui.data_gap("proficiency")

# Columns the matching work adds (alignment, route, rank = the default order per FOP) show up here as soon
# as marts.fop_standard_fit has them; until then the page ranks by fit.
extra = data.available("fop_standard_fit", ["rank", "alignment", "shared_occupation_groups", "route"])
order = "rank" if "rank" in extra else "fit DESC, surplus ASC, standard_key"
rows = data.query(
    f"""
    SELECT standard_key, standard_reference, standard_title, fop_capabilities, fop_capabilities_matched,
           standard_statements, standard_statements_matched, fit, surplus
           {data.select_also(extra)}
    FROM marts.fop_standard_fit
    WHERE cycle_id = ? AND fop_key = ? AND (fit >= ? OR fop_capabilities = 0)
    ORDER BY {order}
    LIMIT 500
    """,
    (cycle, fop_key, minimum_fit),
)
# A FOP the cycle gives no capabilities has no fit or surplus (nothing to cover): its standards are
# ranked by alignment alone, and the page says so instead of drawing empty bars.
without_capabilities = not rows.empty and bool((rows["fop_capabilities"] == 0).all())
rows = ui.with_standard_details(rows)
rows = ui.by_status(
    rows, include_all, ["rank"] if "rank" in extra else ["fit", "surplus"], [True] if "rank" in extra else [False, True]
).head(top)
status_note = "" if include_all else " (approved for delivery)"
st.caption(
    f"{len(rows)} standards for {fop_name}{status_note}, in the default ranking: the evidence of every capability "
    "in each standard's duties and skills, with the standard's alignment to the FOP and the cycle "
    "(docs/matching.md); fit counts only the capabilities a statement covers"
)
if without_capabilities:
    ui.no_capabilities(
        fop_name,
        ", so fit and surplus cannot be judged: the standards below are ranked by their alignment with the FOP "
        "and the cycle alone",
    )
elif not rows.empty:
    bars = rows.melt(
        id_vars=["standard_key", "standard_reference", "standard_title", "standard_status"],
        value_vars=["fit", "surplus"],
        var_name="factor",
        value_name="share",
    )
    bars["standard"] = bars["standard_reference"] + " " + bars["standard_title"].map(lambda t: ui.short(t, 45))
    order_labels = list(dict.fromkeys(bars["standard"]))
    ui.show_chart(
        alt.Chart(bars, title=f"Fit and surplus of the best-ranked standards for {fop_name}")
        .mark_bar()
        .encode(
            y=alt.Y("standard:N", title=None, sort=order_labels, axis=alt.Axis(labelLimit=360)),
            yOffset="factor:N",
            x=alt.X("share:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "factor:N", title=None, scale=alt.Scale(domain=["fit", "surplus"], range=["#1565c0", "#bdbdbd"])
            ),
            tooltip=[
                "standard_reference:N",
                "standard_title:N",
                "standard_status:N",
                "factor:N",
                alt.Tooltip("share:Q", format=".0%"),
            ],
        )
        .properties(height=alt.Step(36))
    )
elif not include_all:
    st.info("No approved-for-delivery standard reaches this fit; switch on the toggle to see the others.")
ui.table(
    rows,
    {
        "rank": "Rank",
        "standard_reference": "Standard",
        "standard_title": "Title",
        "standard_sector": ui.STANDARD_COLUMNS["standard_sector"],
        "fit": ui.percent_column("Fit", "Share of the FOP's capabilities covered by the standard"),
        "surplus": ui.percent_column("Surplus", "Share of the standard's statements the FOP does not need"),
        **ui.EVIDENCE_COLUMNS,
        **ui.STANDARD_COLUMNS,
        "fop_capabilities_matched": "FOP capabilities covered",
        "fop_capabilities": "FOP capabilities",
        "standard_statements_matched": "Statements used",
        "standard_statements": "Statements",
    },
    key="fsf_table",
    name=f"fit and surplus {fop_name}",
)
