"""FOP Capability Matches: the capabilities of a FOP (or a role family) and their matched statements."""

import altair as alt
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "FOP Capability Matches",
    "Capabilities of one Future Occupational Profile, or of all FOPs in a role family, with the number of "
    "Skills England statements each matches and its knowledge and skills tags. Pick a capability to see "
    "the statements: existing training that could be used or adapted.",
    explain_matches=True,
)
left, right = st.columns(2)
with left:
    family, in_family = ui.role_family_select(cycle, key="fcm_family")
    names = ui.fop_names(in_family)
    fop_choice = st.selectbox(
        "FOP",
        [ui.ALL, *names],
        key="fcm_fop",
        format_func=lambda key: "All FOPs in the role family" if key == ui.ALL else names[key],
    )
with right:
    classes = ui.matched_filter("fcm_matched")
    include_all = ui.include_all_statuses("fcm_all_statuses")
fop_keys = list(names) if fop_choice == ui.ALL else [fop_choice]
ui.data_gap("proficiency")

extra = data.available("fop_capability_matches", ["alignment", "shared_terms"])
rows = data.query(
    f"""
    SELECT m.fop_key, m.fop_name, m.capability_key, m.capability_statement, m.proficiency, m.matches,
           m.standard_key, m.standard_reference, m.standard_version, m.standard_title, m.standard_level,
           m.standard_status, m.standard_route, m.standard_page_url, m.statement_text, m.similarity, m.match_class,
           k.knowledge_tags, k.skills_tags {data.select_also(extra, "m")}
    FROM marts.fop_capability_matches AS m
    LEFT JOIN marts.future_ksb_summary AS k USING (cycle_id, capability_key)
    WHERE m.cycle_id = ?
    ORDER BY m.similarity DESC NULLS LAST
    """,
    (cycle,),
)
rows = rows[rows["fop_key"].isin(fop_keys)]
best = rows.drop_duplicates(["fop_key", "capability_key"]).copy()  # best statement first (ordered above)
best["match_class"] = best["match_class"].fillna("none")
best["matches"] = best["matches"].fillna(0).astype(int)
best = best[best["match_class"].isin(classes)].sort_values(["fop_name", "matches"], ascending=[True, False])
best["provision"] = ui.match_label(best["match_class"])
best["proficiency_label"] = best["proficiency"].map(ui.PROFICIENCY_LABELS)

left, right = st.columns(2)
left.metric("FOP × capability pairs shown", len(best), help="A capability needed by several FOPs counts once per FOP.")
right.metric("Distinct capabilities", best["capability_key"].nunique())
if not best.empty:
    ui.show_chart(
        alt.Chart(best, title="FOP × capability pairs by proficiency and match to provision")
        .mark_bar()
        .encode(
            x=alt.X("count():Q", title="FOP × capability pairs", axis=ui.COUNT_AXIS),
            y=alt.Y("proficiency_label:N", title=None, sort=list(ui.PROFICIENCY_COLOURS)),
            color=ui.colour_by("provision:N", ui.MATCH_COLOURS, "Provision"),
            tooltip=["proficiency_label:N", "provision:N", "count():Q"],
        )
        .properties(height=ui.ROW)
    )
ui.capability_table(
    best,
    cycle,
    {
        "proficiency_label": "Proficiency",
        "matches": st.column_config.NumberColumn("Matches", help="Statements that match it (Matched or Partial match)"),
        "provision": "Provision",
        "knowledge_tags": "Knowledge tags",
        "skills_tags": "Skills tags",
    },
    key="fcm_table",
    name="FOP capability matches",
    lead={"fop_name": "FOP"},
)

st.subheader("Matched statements of a capability")
if best.empty:
    st.stop()
statements = dict(zip(best["capability_key"], best["capability_statement"], strict=False))
capability = st.selectbox("Capability", list(statements), format_func=statements.get, key="fcm_capability")
detail = rows[(rows["capability_key"] == capability) & rows["statement_text"].notna()].drop_duplicates(
    ["standard_key", "statement_text"]
)
detail = ui.by_status(detail, include_all, ["similarity"], [False])
if detail.empty:
    st.info(
        "No Skills England statement matches this capability"
        + ("." if include_all else " in a standard approved for delivery (see the toggle above).")
    )
else:
    # alignment is with one FOP: shown when one is chosen, not for a whole role family
    shown_evidence = [column for column in extra if column != "alignment" or fop_choice != ui.ALL]
    ui.table(
        detail.assign(provision=ui.match_label(detail["match_class"])),
        {
            "standard_reference": "Standard",
            "standard_title": "Title",
            "statement_text": "Statement",
            "similarity": ui.similarity_column(),
            **{column: ui.EVIDENCE_COLUMNS[column] for column in shown_evidence},
            "provision": "Class",
            **ui.STANDARD_COLUMNS,
        },
        key="fcm_detail",
        name="matched statements",
    )
st.page_link(
    "views/capability_provision_status.py",
    label="All candidate statements of this capability →",
    query_params={"cycle": cycle, "capability": capability},
)
