"""Capabilities Matched to Current Provision: each capability against Skills England statements."""

import pandas as pd
import streamlit as st

from wfh.dashboard import data, ui

cycle = ui.page_intro(
    "Capabilities Matched to Current Provision",
    "Each capability compared, by meaning, with the duty and skill statements of every Skills England "
    "standard. Not-matched capabilities may need new or bespoke training and CPD.",
    explain_matches=True,
)
evidence = data.available("capability_provision_status", ["best_alignment"])
status = data.query(
    f"""
    SELECT capability_key, capability_id, capability_statement, best_similarity, match_class,
           best_standard_key, best_standard_reference, best_standard_title, best_statement_text, partners, themes
           {data.select_also(evidence)}
    FROM marts.capability_provision_status
    WHERE cycle_id = ?
    ORDER BY best_similarity DESC NULLS LAST
    """,
    (cycle,),
)
partner_rows = data.query(
    "SELECT DISTINCT partner_key, partner_name, capability_key FROM marts.supply_chain_capabilities WHERE cycle_id = ?",
    (cycle,),
)
theme_rows = data.query(
    """
    SELECT DISTINCT t.name AS theme_name, b.capability_key
    FROM marts.bridge_capability_theme AS b
    INNER JOIN marts.dim_theme AS t USING (theme_key)
    WHERE b.cycle_id = ?
    """,
    (cycle,),
)

with st.sidebar:
    st.markdown("**Filter capabilities**")
    classes = ui.matched_filter("cm_matched")
    partner_names = sorted(partner_rows["partner_name"].unique())
    partners = st.multiselect(
        "Supply-chain partners",
        partner_names,
        key="cm_partners",
        placeholder="all partners",
        help="Partners are tagged only on the report's capabilities without identified provision.",
    )
    themes = st.multiselect(
        "Themes (inferred by meaning)",
        sorted(theme_rows["theme_name"].unique()),
        key="cm_themes",
        placeholder="all themes",
        help="The report links no capability to a theme: each link here is inferred by "
        "the similarity of capability and theme texts.",
    )

shown = status[status["match_class"].isin(classes)]
if partners:
    keys = partner_rows.loc[partner_rows["partner_name"].isin(partners), "capability_key"]
    shown = shown[shown["capability_key"].isin(keys)]
if themes:
    keys = theme_rows.loc[theme_rows["theme_name"].isin(themes), "capability_key"]
    shown = shown[shown["capability_key"].isin(keys)]
ui.data_gap("capabilities", "partners", "themes")

counts = status.groupby("match_class", as_index=False).size()
left, right = st.columns([1, 2])
with left:
    ui.show_chart(ui.match_class_bar(counts, "size", "All capabilities of the cycle"))
with right:
    st.metric("Capabilities shown", f"{len(shown)} of {len(status)}")

# A not-matched capability is a gap: its nearest standard is not provision, so the table names none
# (the nearest statements are in the panel below).
gap = shown["match_class"].eq("none")
shown = shown.assign(provision=ui.match_label(shown["match_class"]))
shown.loc[gap, ["best_standard_key", "best_standard_reference", "best_standard_title", *evidence]] = None
shown = ui.with_standard_details(shown, "best_standard_key")
ui.table(
    shown,
    {
        "capability_statement": "Capability",
        "provision": "Provision",
        "best_similarity": ui.similarity_column("Best similarity"),
        **{column: ui.EVIDENCE_COLUMNS["alignment"] for column in evidence},
        "best_standard_reference": "Covering standard",
        "best_standard_title": "Standard title",
        "standard_route": "Route",
        "standard_status": "Status",
        "partners": "Partners",
        "themes": "Themes (inferred)",
    },
    key="cm_table",
    name="capabilities matched to current provision",
)
st.caption(
    "Covering standard: the standard of the capability's best Matched or Partial-match statement; its route and "
    "alignment (how close the standard as a whole is to the FOPs that need the capability) show whether it "
    "comes from the cycle's own trades or only shares a general duty with it. A Not matched capability has "
    "none: no duty or skill statement of a standard approved for delivery reaches the partial threshold. "
    "Pick it below to see its nearest statements."
)

st.subheader("Matched statements")
statements = dict(zip(status["capability_key"], status["capability_statement"], strict=False))
options = shown["capability_key"].tolist()
wanted = st.query_params.get("capability")
if wanted and wanted != st.session_state.get("cm_linked"):
    st.session_state["cm_linked"] = wanted  # arrived by a link: ?capability=<key>
    if wanted in options:
        st.session_state["cm_capability"] = wanted
if wanted and wanted not in statements:
    st.warning(
        f"No capability with key `{wanted}` in cycle {cycle}; the link may be from another cycle or an older warehouse."
    )
elif wanted and wanted not in options:
    st.warning(
        f"The linked capability “{ui.short(statements[wanted], 90)}” is hidden by the filters above "
        f"(it is {ui.MATCH_LABELS.get(status.set_index('capability_key').at[wanted, 'match_class'])}); "
        "clear them to see its statements."
    )
if not options:
    st.info("No capability matches these filters.")
    st.stop()
if st.session_state.get("cm_capability") not in options:
    st.session_state["cm_capability"] = options[0]  # set, not dropped: the box must show what the panel shows
capability = st.selectbox("Capability", options, format_func=statements.get, key="cm_capability")
st.query_params["cycle"] = cycle
st.query_params["capability"] = capability  # the address bar is a link to this capability
st.session_state["cm_linked"] = capability

include_all = ui.include_all_statuses("cm_all_statuses")
extra = data.available("capability_provision_match", ["alignment", "shared_terms"])
matches = data.query(
    f"""
    SELECT rank, standard_key, statement_kind, statement_text, similarity, match_class
           {data.select_also(extra)}
    FROM marts.capability_provision_match
    WHERE cycle_id = ? AND capability_key = ?
    ORDER BY rank
    """,
    (cycle, capability),
)
best = status[status["capability_key"] == capability].iloc[0]
best_standard = ui.with_standard_details(status[status["capability_key"] == capability], "best_standard_key").iloc[0]
is_gap = best["match_class"] == "none"
similarity = f" (best similarity {best['best_similarity']:.2f})" if pd.notna(best["best_similarity"]) else ""
if is_gap:
    st.markdown(
        f"**{best['capability_statement']}**  \nNot matched{similarity}: no duty or skill statement of a standard "
        "approved for delivery reaches the partial threshold. **A gap in current provision**: the statements and "
        "standards below are only the nearest ones, and none of them provides this capability."
    )
else:
    st.markdown(
        f"**{best['capability_statement']}**  \nBest match: {ui.MATCH_LABELS.get(best['match_class'])}{similarity}, "
        f"in the covering standard {best['best_standard_reference']} {best['best_standard_title']}, "
        f"version {best_standard['standard_version']}, {best_standard['standard_status']}"
    )
st.caption(
    "The statements most similar to the capability, over every standard version (the report's view); they "
    "count as provision only when Matched or Partial match. The standards ranked below also weigh their "
    "alignment with the roles that need the capability and with the cycle."
)
matches = ui.with_standard_details(matches.assign(provision=ui.match_label(matches["match_class"])))
matches = ui.by_status(matches, include_all, ["rank"], [True])
ui.table(
    matches,
    {
        "rank": "Rank",
        "standard_reference": "Standard",
        "standard_title": "Title",
        "statement_text": "Duty / skill statement",
        "similarity": ui.similarity_column(),
        "provision": "Class",
        **ui.EVIDENCE_COLUMNS,
        **ui.STANDARD_COLUMNS,
        "statement_kind": "Statement kind",
    },
    key="cm_matches",
    name=f"matched statements {best['capability_id']}",
)
if matches.empty:
    st.info(
        "No approved-for-delivery standard among this capability's candidates; switch on the toggle above "
        "to see retired, withdrawn and in-development ones."
    )

# Standards ranked for the capability as a whole (statement evidence and alignment), once the published
# warehouse has marts.capability_standard_match (the matching work adds it).
ranked_columns = data.available(
    "capability_standard_match",
    [
        "rank",
        "standard_key",
        "standard_reference",
        "standard_title",
        "best_statement",
        "statement_similarity",
        "alignment",
        "score",
        "standard_status",
        "route",
    ],
)
if {"rank", "standard_key"} <= set(ranked_columns):
    st.subheader(
        "Nearest standards (none provides this capability)" if is_gap else "Standards ranked for this capability"
    )
    ranked = data.query(
        f"""
        SELECT {", ".join(ranked_columns)}
        FROM marts.capability_standard_match
        WHERE capability_key = ?
        ORDER BY rank
        LIMIT 20
        """,
        (capability,),
    )
    ranked = ui.with_standard_details(ranked)
    ranked = ui.by_status(ranked, include_all, ["rank"], [True])
    ui.table(
        ranked,
        {
            "rank": "Rank",
            "standard_reference": "Standard",
            "standard_title": "Title",
            "standard_sector": ui.STANDARD_COLUMNS["standard_sector"],
            "best_statement": "Best statement",
            "statement_similarity": ui.similarity_column("Statement similarity"),
            **ui.EVIDENCE_COLUMNS,
            **ui.STANDARD_COLUMNS,
        },
        key="cm_ranked",
        name=f"standards ranked {best['capability_id']}",
    )
