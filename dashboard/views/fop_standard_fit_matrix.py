"""Fit & Surplus Matrix: a heat map of fit (or surplus) of FOPs against their best-ranked standards."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "Fit & Surplus Matrix",
    "A visual view of fit and surplus of the Future Occupational Profiles against their best-ranked "
    "Skills England standards: where provision aligns strongest and where it would need adapting.",
    explain_matches=True,
)
left, right = st.columns(2)
with left:
    _, in_family = ui.role_family_select(cycle, key="fsm_family")
    names = ui.fop_names(in_family)
    chosen = st.multiselect("FOPs", list(names), default=list(names), format_func=names.get, key="fsm_fops")
with right:
    factor = st.radio("Colour by", ["fit", "surplus"], horizontal=True, key="fsm_factor", format_func=str.capitalize)
    most = data.top_standards_per_fop()
    per_fop = st.slider("Standards per FOP (best-ranked first)", 1, max(most, 2), min(3, most), key="fsm_per_fop")
    include_all = ui.include_all_statuses("fsm_all_statuses")
ui.data_gap("proficiency")

rows = data.query(
    """
    SELECT m.fop_key, m.fop_name, m.standard_key, m.standard_label, m.fit, m.surplus, s.status AS standard_status
    FROM marts.fop_standard_fit_matrix AS m
    INNER JOIN marts.dim_standard AS s USING (standard_key)
    WHERE m.cycle_id = ? AND (? OR s.status = 'Approved for delivery')
    QUALIFY row_number() OVER (PARTITION BY m.fop_key ORDER BY m.fit_rank) <= ?
    """,
    (cycle, include_all, per_fop),
)
rows = rows[rows["fop_key"].isin(chosen)]
st.caption(f"{rows['fop_key'].nunique()} FOPs × {rows['standard_key'].nunique()} standards")
if rows.empty:
    st.info("No FOPs with fitted standards among those chosen.")
    st.stop()

fop_order = [name for name in in_family["fop_name"] if name in set(rows["fop_name"])]
standard_order = rows.groupby("standard_label")["fit"].max().sort_values(ascending=False).index.tolist()
base = alt.Chart(rows).encode(
    x=alt.X(
        "standard_label:N", title=None, sort=standard_order, axis=alt.Axis(labelAngle=-90, labelLimit=240, orient="top")
    ),
    y=alt.Y("fop_name:N", title=None, sort=fop_order, axis=alt.Axis(labelLimit=260)),
)
# Fit spans 0-100%; surplus of best-ranked standards sits high (often 85-100%), so its colours
# stretch over the values shown, or every cell would look equally dark.
low, high = float(rows[factor].min()), float(rows[factor].max())
domain = [0, 1] if factor == "fit" or high - low < 0.02 else [low, high]
heat = base.mark_rect().encode(
    color=alt.Color(
        f"{factor}:Q",
        title=factor.capitalize(),
        scale=alt.Scale(scheme="blues" if factor == "fit" else "oranges", domain=domain),
        legend=alt.Legend(format=".0%"),
    ),
    tooltip=[
        "fop_name:N",
        "standard_label:N",
        alt.Tooltip("fit:Q", format=".0%"),
        alt.Tooltip("surplus:Q", format=".0%"),
    ],
)
chart = heat
if rows["standard_key"].nunique() <= 15:  # percentages in the cells while they stay readable
    chart = heat + base.mark_text(fontSize=10).encode(
        text=alt.Text(f"{factor}:Q", format=".0%"),
        color=alt.condition(f"datum.{factor} > {(domain[0] + domain[1]) / 2}", alt.value("white"), alt.value("black")),
    )
ui.show_chart(
    chart.properties(title=f"{factor.capitalize()} of each FOP against its best-ranked standards", height=ui.ROW)
)
position = {name: i for i, name in enumerate(fop_order)}  # the table follows the heat map's rows
ui.table(
    ui.with_standard_details(
        rows.sort_values(["fop_name", factor], ascending=[True, False]).sort_values(
            "fop_name", key=lambda names: names.map(position), kind="stable"
        )
    ),
    {
        "fop_name": "FOP",
        "standard_label": "Standard",
        "fit": ui.percent_column("Fit", "Share of the FOP's capabilities the standard covers"),
        "surplus": ui.percent_column("Surplus", "Share of the standard's statements the FOP does not need"),
        **ui.STANDARD_COLUMNS,
    },
    key="fsm_table",
    name="fit and surplus matrix",
)
