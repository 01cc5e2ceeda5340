"""FOP Matrix: capabilities against FOPs, with the proficiency each FOP needs."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "FOP Matrix",
    "Compare Future Occupational Profiles within or across role families: which capabilities each FOP "
    "contains and at what proficiency (1 Awareness, 2 Practitioner, 3 Expert).",
)
fops = data.fops(cycle)
families = list(dict.fromkeys(fops["role_family"]))
left, right = st.columns(2)
chosen_families = left.multiselect("Role families", families, default=families, key="matrix_families")
in_families = fops[fops["role_family"].isin(chosen_families)]
names = ui.fop_names(in_families)
chosen_fops = right.multiselect("FOPs", list(names), default=list(names), format_func=names.get, key="matrix_fops")
hide_empty = st.toggle(
    "Hide empty capabilities",
    value=True,
    key="matrix_hide_empty",
    help="Off: also list the capabilities none of the chosen FOPs needs.",
)
ui.data_gap("proficiency", "role_families")

long = data.query(
    """
    SELECT fop_key, fop_name, capability_key, capability_statement, proficiency
    FROM marts.fop_matrix
    WHERE cycle_id = ?
    """,
    (cycle,),
)
capabilities = data.query(
    "SELECT capability_key, statement AS capability_statement FROM marts.dim_capability WHERE cycle_id = ?",
    (cycle,),
)
selected = long[long["fop_key"].isin(chosen_fops)]
fop_order = [names[key] for key in chosen_fops]
matrix = selected.pivot_table(index="capability_key", columns="fop_name", values="proficiency", aggfunc="max").reindex(
    columns=fop_order
)
matrix = capabilities.set_index("capability_key").join(matrix, how="inner" if hide_empty else "left")
# Most shared capabilities first, then by statement: the heat map's rows follow the table's order.
matrix = (
    matrix.assign(_fops=matrix[fop_order].notna().sum(axis=1))
    .sort_values(["_fops", "capability_statement"], ascending=[False, True])
    .drop(columns="_fops")
    .reset_index()
)
row_order = list(dict.fromkeys(matrix["capability_statement"].map(ui.short)))
for name in fop_order:  # proficiency as words; an empty cell = the FOP does not need the capability
    matrix[name] = matrix[name].map(ui.PROFICIENCY_LABELS).fillna("")
st.caption(f"{len(matrix)} capabilities × {len(fop_order)} FOPs")

if not selected.empty:
    cells = selected.assign(
        capability=selected["capability_statement"].map(ui.short),
        level=selected["proficiency"].map(ui.PROFICIENCY_LABELS),
    )
    ui.show_chart(
        alt.Chart(cells, title="Proficiency by FOP and capability")
        .mark_rect()
        .encode(
            x=alt.X(
                "fop_name:N",
                title=None,
                sort=fop_order,
                axis=alt.Axis(labelAngle=-90, labelLimit=230, orient="top", labelFontSize=11),
            ),
            y=alt.Y("capability:N", title=None, sort=row_order, axis=alt.Axis(labelLimit=420)),
            color=ui.colour_by("level:N", ui.PROFICIENCY_COLOURS, "Proficiency"),
            tooltip=["fop_name:N", "capability_statement:N", "level:N"],
        )
        .properties(height=ui.LINE)
    )

columns: dict[str, object] = {"capability_statement": "Capability"}
columns.update({name: st.column_config.TextColumn(ui.short(name, 30), help=name) for name in fop_order})
ui.table(matrix, columns, key="matrix_table", name="FOP matrix")
