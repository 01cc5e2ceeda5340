"""FOP vs Provision: a FOP's capabilities, matched or not, against its ten best-fitting standards."""

import altair as alt
import streamlit as st

from dashboard import data, ui

ui.page_intro(
    "FOP vs Provision",
    "Choose a role family and FOP to compare its capabilities with the duties of its top 10 matched "
    "Skills England standards: matched / not matched per capability and standard.",
)
cycle = ui.cycle_id()
left, right = st.columns(2)
with left:
    fop_key, fop_name = ui.fop_select(cycle, key="fvp")

rows = data.query(
    """
    SELECT fit_rank, standard_key, standard_title, fit, surplus, capability_key, capability_statement, is_matched
    FROM marts.fop_vs_provision
    WHERE cycle_id = ? AND fop_key = ?
    ORDER BY fit_rank, capability_key
    """,
    (cycle, fop_key),
)
standards = rows.drop_duplicates("standard_key")[["fit_rank", "standard_key", "standard_title", "fit", "surplus"]]
with right:
    labels = dict(zip(standards["standard_key"],
                      standards["fit_rank"].astype(str) + ". " + standards["standard_title"]))
    chosen = st.multiselect("Standards (top 10 by fit)", list(labels), default=list(labels),
                            format_func=labels.get, key="fvp_standards")
shown = rows[rows["standard_key"].isin(chosen)].copy()
if shown.empty:
    st.info("Choose at least one standard.")
    st.stop()
shown["is_matched"] = ui.flag(shown["is_matched"])
shown["status"] = shown["is_matched"].map({True: "Matched", False: "Not matched"})
shown["standard"] = shown["fit_rank"].astype(str) + ". " + shown["standard_title"].map(lambda t: ui.short(t, 40))
shown["capability"] = shown["capability_statement"].map(ui.short)
order = shown.drop_duplicates("standard_key")["standard"].tolist()
ui.show_chart(
    alt.Chart(shown, title=f"{fop_name}: capabilities matched by each standard")
    .mark_rect(stroke="white")
    .encode(
        x=alt.X("standard:N", title=None, sort=order, axis=alt.Axis(labelAngle=-35, labelLimit=240)),
        y=alt.Y("capability:N", title=None, axis=alt.Axis(labelLimit=420)),
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=["Matched", "Not matched"], range=["#2e7d32", "#eeeeee"])),
        tooltip=["standard_title:N", "capability_statement:N", "status:N"],
    )
    .properties(height=ui.LINE)
)
ui.table(
    standards[standards["standard_key"].isin(chosen)],
    {
        "fit_rank": "Rank",
        "standard_title": "Standard",
        "fit": ui.percent_column("Fit"),
        "surplus": ui.percent_column("Surplus"),
    },
    key="fvp_standards_table",
)
wide = shown.pivot_table(index=["capability_key", "capability_statement"], columns="standard",
                         values="is_matched", aggfunc="max").reindex(columns=order).reset_index()
columns: dict[str, object] = {"capability_statement": "Capability"}
columns.update({name: st.column_config.CheckboxColumn(ui.short(name, 28), help=name) for name in order})
ui.table(wide, columns, key="fvp_matrix_table")
