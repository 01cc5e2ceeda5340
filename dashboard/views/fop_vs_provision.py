"""FOP vs Provision: a FOP's capabilities, covered or not, against its best-ranked standards."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "FOP vs Provision",
    "Choose a role family and FOP to compare its capabilities with the duties and skills of its "
    "best-ranked Skills England standards: covered (Matched or Partial match) or not, per capability "
    "and standard.",
    explain_matches=True,
)
most = data.top_standards_per_fop()  # the FOP's best-ranked standards this page weighs (dbt var)
left, right = st.columns(2)
with left:
    fop_key, fop_name = ui.fop_select(cycle, key="fvp")
with right:
    top = st.slider("Standards shown (best first)", 1, max(most, 2), most, key="fvp_top")
    include_all = ui.include_all_statuses("fvp_all_statuses")
ui.data_gap("proficiency")

extra = data.available("fop_vs_provision", ["alignment"])
rows = data.query(
    f"""
    SELECT fit_rank, standard_key, standard_title, fit, surplus, capability_key, capability_statement, is_matched
           {data.select_also(extra)}
    FROM marts.fop_vs_provision
    WHERE cycle_id = ? AND fop_key = ?
    ORDER BY fit_rank, capability_key
    """,
    (cycle, fop_key),
)
if rows.empty:
    in_fop = data.query("SELECT count(*) AS n FROM marts.fop_detail WHERE fop_key = ?", (fop_key,))["n"].iloc[0]
    if in_fop == 0:
        ui.no_capabilities(fop_name, ", so there is nothing to compare with provision")
    else:
        st.info(f"No standard covers any of the {in_fop} capabilities of {fop_name}.")
    st.stop()

rows = ui.with_standard_details(rows)
standards = rows.drop_duplicates("standard_key").drop(columns=["capability_key", "capability_statement", "is_matched"])
standards = ui.by_status(standards, include_all, ["fit_rank"], [True]).head(top)
if standards.empty:
    st.info(
        f"None of the {most} best-ranked standards of {fop_name} is approved for delivery; switch on "
        "“Include retired, withdrawn and in-development standards” to see them."
    )
    st.stop()
st.caption(f"{len(standards)} standards for {fop_name}" + ("" if include_all else " (approved for delivery)"))
shown = rows[rows["standard_key"].isin(standards["standard_key"])].copy()
shown["is_matched"] = ui.flag(shown["is_matched"])
shown["status"] = shown["is_matched"].map({True: "Covered", False: "Not covered"})
labels = {
    key: f"{rank}. {ui.short(title, 38)}"
    for key, rank, title in zip(
        standards["standard_key"], standards["fit_rank"], standards["standard_title"], strict=False
    )
}
shown["standard"] = shown["standard_key"].map(labels)
shown["capability"] = shown["capability_statement"].map(ui.short)
order = [labels[key] for key in standards["standard_key"]]
capability_order = sorted(shown["capability"].unique())
ui.show_chart(
    alt.Chart(shown, title=f"{fop_name}: capabilities covered by each standard")
    .mark_rect(stroke="white")
    .encode(
        x=alt.X("standard:N", title=None, sort=order, axis=alt.Axis(labelAngle=-90, labelLimit=260, orient="top")),
        y=alt.Y("capability:N", title=None, sort=capability_order, axis=alt.Axis(labelLimit=420)),
        color=alt.Color(
            "status:N", title=None, scale=alt.Scale(domain=["Covered", "Not covered"], range=["#2e7d32", "#eeeeee"])
        ),
        tooltip=["standard_title:N", "standard_status:N", "capability_statement:N", "status:N"],
    )
    .properties(height=ui.LINE)
)
ui.table(
    standards,
    {
        "fit_rank": "Rank",
        "standard_reference": "Standard",
        "standard_title": "Title",
        "standard_sector": ui.STANDARD_COLUMNS["standard_sector"],
        "fit": ui.percent_column("Fit", "Share of the FOP's capabilities the standard covers"),
        "surplus": ui.percent_column("Surplus", "Share of the standard's statements the FOP does not need"),
        **{column: ui.EVIDENCE_COLUMNS[column] for column in extra},
        **ui.STANDARD_COLUMNS,
    },
    key="fvp_standards_table",
    name=f"best-ranked standards {fop_name}",
)
wide = (
    shown.pivot_table(
        index=["capability_key", "capability_statement"], columns="standard", values="is_matched", aggfunc="max"
    )
    .reindex(columns=order)
    .reset_index()
)
wide = wide.sort_values("capability_statement")
columns: dict[str, object] = {"capability_statement": "Capability"}
columns.update({name: st.column_config.CheckboxColumn(name, help=name) for name in order})
ui.table(wide, columns, key="fvp_matrix_table", name=f"capabilities covered {fop_name}")
