"""FOP Detail: one Future Occupational Profile, its capabilities, proficiencies and KSB tags."""

import altair as alt
import pandas as pd
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "FOP Detail",
    "Choose a role family and one of its Future Occupational Profiles to see the capabilities it contains "
    "and the knowledge and skills (KSB) tags linked to each capability.",
)
left, right = st.columns(2)
with left:
    fop_key, fop_name = ui.fop_select(cycle, key="detail")
fop = data.query(
    "SELECT name, description, is_priority, role_level_name FROM marts.dim_fop WHERE fop_key = ?", (fop_key,)
).iloc[0]
with right:
    priority = pd.notna(fop["is_priority"]) and bool(fop["is_priority"])
    st.markdown(f"**{fop['name']}**" + ("  — priority FOP" if priority else ""))
    st.caption(fop["description"] if isinstance(fop["description"], str) else "")

ui.data_gap("proficiency", "role_families")
rows = data.query(
    """
    SELECT capability_key, capability_statement, proficiency, proficiency_label, knowledge_tags, skills_tags
    FROM marts.fop_detail
    WHERE cycle_id = ? AND fop_key = ?
    ORDER BY proficiency DESC, capability_key
    """,
    (cycle, fop_key),
)
st.metric(f"Capabilities in {fop_name}", len(rows))
if rows.empty:
    ui.no_capabilities(fop_name)
if not rows.empty:
    counts = rows.assign(level=rows["proficiency"].map(ui.PROFICIENCY_LABELS))
    ui.show_chart(
        alt.Chart(counts, title=f"Proficiency required: {fop_name}")
        .mark_bar()
        .encode(
            x=alt.X("count():Q", title="Capabilities", axis=ui.COUNT_AXIS),
            y=alt.Y("level:N", title=None, sort=list(ui.PROFICIENCY_COLOURS)),
            color=ui.colour_by("level:N", ui.PROFICIENCY_COLOURS, legend=None),
            tooltip=["level:N", "count():Q"],
        )
        .properties(height=ui.ROW)
    )
shown = ui.search(rows, key="detail_search")
ui.capability_table(
    shown,
    cycle,
    {
        "proficiency_label": "Proficiency",
        "knowledge_tags": "Knowledge tags",
        "skills_tags": "Skills tags",
    },
    key="detail_table",
    name=f"FOP detail {fop_name}",
)

# The occupations abroad nearest to this FOP (once the published warehouse has the mart).
if data.available("fop_occupation_match", ["crosswalk_partner_rank"]):
    st.subheader(f"Occupations nearest to {fop_name}")
    links = data.query(
        """
        SELECT framework, rank, occupation_label, isco_group_label, similarity, crosswalk_partner_rank
        FROM marts.fop_occupation_match
        WHERE fop_key = ? AND rank <= 5
        ORDER BY framework, rank
        """,
        (fop_key,),
    )
    partner = st.column_config.NumberColumn(
        "Crosswalk partner",
        format="%d",
        help="Rank of this FOP's occupation in the other framework that the official ESCO–O*NET crosswalk "
        "pairs with this one; empty: none of its nearest",
    )
    for framework, title, heading, extra in (
        ("esco", "ESCO", "**ESCO (European)**", {"isco_group_label": "ISCO-08 group"}),
        ("onet", "O*NET", "**O\\*NET (US)**", {}),
    ):
        st.markdown(heading)
        ui.table(
            links[links["framework"] == framework],
            {
                "rank": "Rank",
                "occupation_label": "Occupation",
                **extra,
                "similarity": ui.similarity_column(),
                "crosswalk_partner_rank": partner,
            },
            key=f"detail_{framework}",
            name=f"{title} occupations {fop_name}",
        )
    st.caption(
        "Nearest by meaning of the FOP's name and description: occupations abroad that resemble this future "
        "role, whose skills and tasks ESCO and O\\*NET list; not a classification. A crosswalk partner means "
        "the two frameworks agree: the official ESCO–O\\*NET crosswalk pairs the occupation with one of this "
        "FOP's nearest in the other framework. Without one, the link rests on shared words alone."
    )
