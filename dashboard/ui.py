"""Widgets, filters and charts shared by the dashboard's pages (one place for each)."""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st

from wfh.dashboard import data

MATCH_LABELS = {"match": "Matched", "partial": "Partial match", "none": "Not matched"}
MATCH_COLOURS = {"Matched": "#2e7d32", "Partial match": "#f9a825", "Not matched": "#c62828"}
PROFICIENCY_LABELS = {1: "1 Awareness", 2: "2 Practitioner", 3: "3 Expert"}
PROFICIENCY_COLOURS = {"1 Awareness": "#9ecae1", "2 Practitioner": "#4292c6", "3 Expert": "#08306b"}
CAPABILITIES_MATCHED_PATH = "capabilities_matched"
ALL = "All"
# Chart heights as a step per category: Streamlit stretches charts to the page width and ignores a fixed
# pixel height, so bars and heat-map rows are sized per category instead.
ROW = alt.Step(26)
LINE = alt.Step(17)
COUNT_AXIS = alt.Axis(tickMinStep=1, format="d")  # whole numbers on count axes


def cycle_id() -> str:
    """The cycle chosen in the sidebar (set by app.py on every run)."""
    return st.session_state["cycle_id"]


def page_intro(title: str, what: str, *, explain_matches: bool = False) -> str:
    """Page title, a one-line explanation (from the report's Appendix B) and, on pages that count matches,
    what "matched" means (``match_meaning``). Returns the cycle chosen in the sidebar."""
    st.title(title)
    st.caption(what)
    if explain_matches:
        match_meaning()
    return cycle_id()


def flag(values: pd.Series) -> pd.Series:
    """A yes/no column as plain booleans (a missing value counts as no)."""
    return values.astype("boolean").fillna(False).astype(bool)


def match_label(match_class: pd.Series) -> pd.Series:
    """'match' / 'partial' / 'none' as the words the report uses."""
    return match_class.map(MATCH_LABELS).fillna(match_class)


# The one meaning of "matched", said the same on every page that uses it.
MATCH_MEANING = (
    "**Matched**: a duty or skill statement of a Skills England standard says the same as the capability "
    "(similarity at or above the match threshold). **Partial match**: the closest statement is related but "
    "weaker (at or above the partial threshold). **Not matched**: no statement of any standard comes close. "
    "Fit, FOP vs Provision and FOP Capability Matches count a capability as **covered** when it is Matched "
    "or a Partial match."
)


def match_meaning() -> None:
    """The shared definition of matched / partial / not matched / covered, under the page title."""
    with st.expander("What “matched” and “covered” mean here"):
        st.markdown(MATCH_MEANING)


def matched_filter(key: str, label: str = "Provision") -> list[str]:
    """Matched / partial / not-matched filter; returns the match classes to keep."""
    choice = st.radio(
        label,
        [ALL, "Matched", "Partial match", "Not matched"],
        horizontal=True,
        key=key,
        help=MATCH_MEANING,
    )
    if choice == ALL:
        return list(MATCH_LABELS)
    return [code for code, word in MATCH_LABELS.items() if word == choice]


def role_family_select(cycle: str, key: str) -> tuple[str, pd.DataFrame]:
    """Role-family dropdown (role level, else 'Unassigned'); returns the choice and its FOPs."""
    fops = data.fops(cycle)
    families = list(dict.fromkeys(fops["role_family"]))
    family = st.selectbox("Role family", [ALL, *families], key=key)
    in_family = fops if family == ALL else fops[fops["role_family"] == family]
    return family, in_family


def fop_names(fops: pd.DataFrame) -> dict[str, str]:
    """FOP key -> FOP name, in the order of ``fops`` (the choices of a FOP picker)."""
    return dict(zip(fops["fop_key"], fops["fop_name"], strict=False))


def fop_select(cycle: str, key: str) -> tuple[str, str]:
    """Role family, then FOP, as in the report's tool; returns (fop_key, fop_name).

    ``?fop=<fop_key>`` in the address opens the page on that FOP, and the address follows the choice,
    so it is always a link to what is on screen."""
    _, in_family = role_family_select(cycle, key=f"{key}_family")
    names = fop_names(in_family)
    if not names:
        st.info("No FOPs in this role family.")
        st.stop()
    wanted = st.query_params.get("fop")
    if wanted and wanted != st.session_state.get(f"{key}_synced"):
        if wanted in names:
            st.session_state[f"{key}_fop"] = wanted
        else:
            st.warning(f"No FOP with key `{wanted}` in this role family of cycle {cycle}; showing the first FOP.")
    fop_key = st.selectbox("FOP", list(names), format_func=names.get, key=f"{key}_fop")
    st.query_params["fop"] = fop_key
    st.session_state[f"{key}_synced"] = fop_key
    return fop_key, names[fop_key]


def search(frame: pd.DataFrame, key: str, label: str = "Search any column") -> pd.DataFrame:
    """Rows whose text, in any column, contains the search words (case-insensitive)."""
    words = st.text_input(label, key=key, placeholder="type to filter the table").strip().lower()
    if not words:
        return frame
    text = frame.astype(str).fillna("").apply(lambda column: column.str.lower()).agg(" ".join, axis=1)
    return frame[text.str.contains(words, regex=False)]


def capability_link(cycle: str, capability_key: str) -> str:
    """Relative URL of the Capabilities Matched page opened on one capability."""
    return f"{CAPABILITIES_MATCHED_PATH}?{urlencode({'cycle': cycle, 'capability': capability_key})}"


def with_capability_links(frame: pd.DataFrame, cycle: str) -> pd.DataFrame:
    """Adds a ``matched_statements`` link column (to Capabilities Matched) from ``capability_key``."""
    linked = frame.copy()
    linked["matched_statements"] = [capability_link(cycle, key) for key in linked["capability_key"]]
    return linked


LINK_COLUMN = st.column_config.LinkColumn(
    "Matched statements", display_text="view matches", help="Opens Capabilities Matched on this capability"
)


def capability_table(
    frame: pd.DataFrame,
    cycle: str,
    columns: dict[str, object],
    key: str,
    name: str | None = None,
    *,
    lead: dict[str, object] | None = None,
) -> None:
    """A ``table`` of capabilities: ``lead`` columns, the capability statement, ``columns``, then the
    link to the capability's matched statements on Capabilities Matched."""
    table(
        with_capability_links(frame, cycle),
        {**(lead or {}), "capability_statement": "Capability", **columns, "matched_statements": LINK_COLUMN},
        key=key,
        name=name,
    )


def percent_column(label: str, help: str | None = None) -> st.column_config.Column:
    """A 0..1 share shown as a bar with a whole percentage (``table`` scales the share to 0..100)."""
    return st.column_config.ProgressColumn(label, min_value=0, max_value=100, format="%.0f%%", help=help)


def similarity_column(label: str = "Similarity") -> st.column_config.Column:
    """A match score (the fused similarity of wfh.matching.scoring) with two decimals."""
    return st.column_config.NumberColumn(label, format="%.2f")


def _is_percent(spec: object) -> bool:
    return isinstance(spec, dict) and (spec.get("type_config") or {}).get("type") == "progress"


# Widths of long text columns, so the short columns after them stay in view.
TEXT_WIDTHS = {
    "capability_statement": "large",
    "statement_text": "large",
    "best_statement_text": "medium",
    "partners": "medium",
    "themes": "medium",
    "knowledge_tags": "medium",
    "skills_tags": "medium",
    "onet_tasks": "medium",
    "onet_dwas": "medium",
    "detail": "large",
    "explanation": "medium",
    "expert_fops": "medium",
    "practitioner_fops": "medium",
    "awareness_fops": "medium",
    "horizon_reason": "large",
    "fops_needing": "medium",
    "finding": "large",
}


def _label(name: str, spec: object) -> str:
    if isinstance(spec, str):
        return spec
    label = getattr(spec, "get", lambda *_: None)("label") if isinstance(spec, dict) else None
    return label or name.replace("_", " ").capitalize()


def readable(frame: pd.DataFrame, columns: dict[str, object]) -> pd.DataFrame:
    """The listed columns only, headed by their on-screen labels (what a download should hold)."""
    present = [name for name in columns if name in frame.columns]
    out = frame[present].copy()
    out.columns = [_label(name, columns[name]) for name in present]
    return out


def downloads(frame: pd.DataFrame, columns: dict[str, object], name: str, key: str) -> None:
    """CSV and Excel buttons for a table: the columns shown, with their on-screen headers."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "table"
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "CSV",
        lambda: readable(frame, columns).to_csv(index=False).encode("utf-8"),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
        help="Download this table as CSV (the columns shown, with these headers)",
        width="stretch",
    )

    def excel() -> bytes:
        buffer = io.BytesIO()
        readable(frame, columns).to_excel(buffer, index=False, sheet_name=stem[:31])
        return buffer.getvalue()

    right.download_button(
        "Excel",
        excel,
        file_name=f"{stem}.xlsx",
        key=f"{key}_xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        help="Download this table as an Excel workbook (the columns shown, with these headers)",
        width="stretch",
    )


def table(frame: pd.DataFrame, columns: dict[str, object], key: str | None = None, name: str | None = None) -> None:
    """Show the listed columns (name -> label or column config) in that order, without the index, with
    CSV and Excel downloads of what is shown (``name`` is the file name; default: the table key)."""
    columns = {name_: spec for name_, spec in columns.items() if name_ in frame.columns}
    config = {
        name_: (st.column_config.Column(spec, width=TEXT_WIDTHS.get(name_)) if isinstance(spec, str) else spec)
        for name_, spec in columns.items()
    }
    shares = [name_ for name_, spec in columns.items() if _is_percent(spec)]
    shown = frame.assign(**{name_: frame[name_] * 100 for name_ in shares}) if shares else frame
    st.dataframe(shown, column_order=list(columns), column_config=config, hide_index=True, key=key, placeholder="—")
    if key:
        downloads(frame, {n: s for n, s in columns.items() if n != "matched_statements"}, name or key, key)


def colour_by(field: str, colours: dict[str, str], title: str = alt.Undefined, **options) -> alt.Color:
    """A colour channel with the fixed colour of each category (``MATCH_COLOURS``, ``PROFICIENCY_COLOURS``)."""
    return alt.Color(field, title=title, scale=alt.Scale(domain=list(colours), range=list(colours.values())), **options)


def match_class_bar(counts: pd.DataFrame, count_column: str, title: str) -> alt.Chart:
    """Horizontal bars of capabilities per match class (``match_class`` + a count column)."""
    frame = counts.assign(provision=match_label(counts["match_class"]))
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{count_column}:Q", title="Capabilities", axis=COUNT_AXIS),
            y=alt.Y("provision:N", title=None, sort=list(MATCH_COLOURS)),
            color=colour_by("provision:N", MATCH_COLOURS, legend=None),
            tooltip=["provision:N", f"{count_column}:Q"],
        )
        .properties(height=ROW)
    )


def show_chart(chart: alt.Chart) -> None:
    """A chart at full width, every category label shown (Vega hides overlapping ones by default)."""
    st.altair_chart(chart.configure_axisBand(labelOverlap=False), width="stretch")


def no_capabilities(fop_name: str, consequence: str = "") -> None:
    """The one note for a FOP the cycle's data gives no capabilities, with what that means on the page."""
    st.info(
        f"{fop_name} lists no capabilities in this cycle's data (the report gives its capabilities only in the "
        f"online tool){consequence}."
    )


def short(text: str, length: int = 70) -> str:
    """Text cut to ``length`` characters for chart axes (missing text becomes empty)."""
    if not isinstance(text, str):
        return ""
    return text if len(text) <= length else text[: length - 1] + "…"


# ---------------------------------------------------------------- standards: status, version, route, page

APPROVED = "Approved for delivery"
STANDARD_COLUMNS = {
    "standard_version": "Version",
    "standard_level": st.column_config.NumberColumn("Level", format="%d"),
    "standard_status": "Status",
    "standard_route": "Route",
    "standard_sector": st.column_config.TextColumn(
        "Where it is found",
        width="medium",
        help="Where the standard says its occupation is found (the sector sentence of its occupational summary)",
    ),
    "standard_page_url": st.column_config.LinkColumn(
        "Skills England page", display_text="open", help="The standard's page on the Skills England site"
    ),
}
# Columns the matching work adds to the marts (shown once the published warehouse has them).
EVIDENCE_COLUMNS = {
    "alignment": st.column_config.NumberColumn(
        "Alignment",
        format="%.2f",
        help="How close the standard as a whole is to the FOP, or to the FOPs that need the capability",
    ),
    "score": st.column_config.NumberColumn("Score", format="%.2f", help="Combined statement evidence and alignment"),
    "shared_terms": "Shared terms",
    "shared_occupation_groups": st.column_config.TextColumn(
        "Shared occupation groups",
        help="ISCO-08 unit groups of the ESCO occupations nearest to both the FOP and the standard",
    ),
}


def with_standard_details(frame: pd.DataFrame, key: str = "standard_key") -> pd.DataFrame:
    """Adds version, level, status, route and the Skills England page of each row's standard
    (from marts.dim_standard; a column the frame already has is kept)."""
    details = data.standards()
    extra = [c for c in details.columns if c not in frame.columns or c == "standard_key"]
    return frame.merge(details[extra], how="left", left_on=key, right_on="standard_key", suffixes=("", "_dim"))


def include_all_statuses(key: str) -> bool:
    """Toggle: also list retired, withdrawn and in-development versions (default: approved ones only)."""
    return st.toggle(
        "Include retired, withdrawn and in-development standards",
        value=False,
        key=key,
        help=f"Off: only standard versions '{APPROVED}' are listed. On: every version, approved ones first.",
    )


def by_status(frame: pd.DataFrame, include_all: bool, order: list[str], ascending: list[bool]) -> pd.DataFrame:
    """Approved-for-delivery versions first (only them unless ``include_all``), then the page's order."""
    approved = frame["standard_status"].eq(APPROVED)
    ranked = frame.assign(_not_approved=~approved)
    if not include_all:
        ranked = ranked[approved]
    return ranked.sort_values(["_not_approved", *order], ascending=[True, *ascending], na_position="last").drop(
        columns="_not_approved"
    )


# ---------------------------------------------------------------- what the data cannot tell


def data_gap(*topics: str) -> None:
    """The data's own gaps that affect this page, said where they matter (marts.dashboard_data_gaps)."""
    gaps = data.query(
        "SELECT topic, note FROM marts.dashboard_data_gaps WHERE cycle_id = ? ORDER BY topic",
        (cycle_id(),),
    )
    notes = [note for topic, note in zip(gaps["topic"], gaps["note"], strict=False) if topic in topics and note]
    if notes:
        st.info("**What this data cannot tell**\n" + "\n".join(f"- {note}" for note in notes), icon=":material/info:")
