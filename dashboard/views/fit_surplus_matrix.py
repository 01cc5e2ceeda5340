"""Fit & Surplus Matrix: a heat map of fit (or surplus) of FOPs against their best-fitting standards."""

import altair as alt
import streamlit as st

from dashboard import data, ui

ui.page_intro(
    "Fit & Surplus Matrix",
    "A visual view of fit and surplus of the Future Occupational Profiles against their best-fitting "
    "Skills England standards: where provision aligns strongest and where it would need adapting.",
)
cycle = ui.cycle_id()
left, right = st.columns(2)
with left:
    _, in_family = ui.role_family_select(cycle, key="fsm_family")
    names = dict(zip(in_family["fop_key"], in_family["fop_name"]))
    chosen = st.multiselect("FOPs", list(names), default=list(names), format_func=names.get, key="fsm_fops")
with right:
    factor = st.radio("Colour by", ["fit", "surplus"], horizontal=True, key="fsm_factor",
                      format_func=str.capitalize)
    per_fop = st.slider("Best-fitting standards per FOP", 1, 10, 3, key="fsm_per_fop")

rows = data.query(
    """
    SELECT fop_key, fop_name, standard_key, standard_label, fit, surplus
    FROM marts.fop_standard_fit_matrix
    WHERE cycle_id = ?
    QUALIFY row_number() OVER (PARTITION BY fop_key ORDER BY fit DESC, surplus, standard_key) <= ?
    """,
    (cycle, per_fop),
)
rows = rows[rows["fop_key"].isin(chosen)]
st.caption(f"{rows['fop_key'].nunique()} FOPs × {rows['standard_key'].nunique()} standards")
if rows.empty:
    st.info("No FOPs with fitted standards among those chosen.")
    st.stop()

fop_order = [name for name in in_family["fop_name"] if name in set(rows["fop_name"])]
standard_order = (
    rows.groupby("standard_label")["fit"].max().sort_values(ascending=False).index.tolist()
)
base = alt.Chart(rows).encode(
    x=alt.X("standard_label:N", title="Standard", sort=standard_order,
            axis=alt.Axis(labelAngle=-40, labelLimit=220)),
    y=alt.Y("fop_name:N", title=None, sort=fop_order, axis=alt.Axis(labelLimit=260)),
)
heat = base.mark_rect().encode(
    color=alt.Color(f"{factor}:Q", title=factor.capitalize(),
                    scale=alt.Scale(scheme="blues" if factor == "fit" else "greys", domain=[0, 1]),
                    legend=alt.Legend(format="%")),
    tooltip=["fop_name:N", "standard_label:N", alt.Tooltip("fit:Q", format=".0%"),
             alt.Tooltip("surplus:Q", format=".0%")],
)
chart = heat
if rows["standard_key"].nunique() <= 15:  # percentages in the cells while they stay readable
    chart = heat + base.mark_text(fontSize=10).encode(
        text=alt.Text(f"{factor}:Q", format=".0%"),
        color=alt.condition(f"datum.{factor} > 0.5", alt.value("white"), alt.value("black")),
    )
ui.show_chart(
    chart.properties(title=f"{factor.capitalize()} of each FOP against its best-fitting standards",
                     height=ui.ROW)
)
ui.table(
    rows.sort_values(["fop_name", factor], ascending=[True, False]),
    {
        "fop_name": "FOP",
        "standard_label": "Standard",
        "fit": ui.percent_column("Fit"),
        "surplus": ui.percent_column("Surplus"),
    },
    key="fsm_table",
)
