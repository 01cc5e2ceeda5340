"""Widgets, filters and charts shared by the dashboard's pages (one place for each)."""

from __future__ import annotations

from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data

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


def page_intro(title: str, what: str) -> None:
    """Page title and a one-line explanation (from the report's Appendix B)."""
    st.title(title)
    st.caption(what)


def flag(values: pd.Series) -> pd.Series:
    """A yes/no column as plain booleans (a missing value counts as no)."""
    return values.astype("boolean").fillna(False).astype(bool)


def match_label(match_class: pd.Series) -> pd.Series:
    """'match' / 'partial' / 'none' as the words the report uses."""
    return match_class.map(MATCH_LABELS).fillna(match_class)


def matched_filter(key: str, label: str = "Provision") -> list[str]:
    """Matched / partial / not-matched filter; returns the match classes to keep."""
    choice = st.radio(
        label,
        [ALL, "Matched", "Partial match", "Not matched"],
        horizontal=True,
        key=key,
        help="Matched: a duty or summary statement of a Skills England standard covers the capability. "
        "Not matched: no reasonably good statement in any standard.",
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


def fop_select(cycle: str, key: str) -> tuple[str, str]:
    """Role family, then FOP, as in the report's tool; returns (fop_key, fop_name)."""
    _, in_family = role_family_select(cycle, key=f"{key}_family")
    names = dict(zip(in_family["fop_key"], in_family["fop_name"]))
    if not names:
        st.info("No FOPs in this role family.")
        st.stop()
    fop_key = st.selectbox("FOP", list(names), format_func=names.get, key=f"{key}_fop")
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
def percent_column(label: str, help: str | None = None) -> st.column_config.Column:
    """A 0..1 share shown as a bar with a percentage."""
    return st.column_config.ProgressColumn(label, min_value=0.0, max_value=1.0, format="percent", help=help)


# Widths of long text columns, so the short columns after them stay in view.
TEXT_WIDTHS = {
    "capability_statement": "large", "statement_text": "large", "best_statement_text": "medium",
    "partners": "medium", "themes": "medium", "knowledge_tags": "medium", "skills_tags": "medium",
    "onet_tasks": "medium", "onet_dwas": "medium", "detail": "large", "explanation": "medium",
}


def table(frame: pd.DataFrame, columns: dict[str, object], key: str | None = None) -> None:
    """Show the listed columns (name -> label or column config) in that order, without the index."""
    config = {
        name: (st.column_config.Column(spec, width=TEXT_WIDTHS.get(name)) if isinstance(spec, str) else spec)
        for name, spec in columns.items()
    }
    st.dataframe(frame, column_order=list(columns), column_config=config, hide_index=True, key=key,
                 placeholder="—")


def match_class_bar(counts: pd.DataFrame, count_column: str, title: str) -> alt.Chart:
    """Horizontal bars of capabilities per match class (``match_class`` + a count column)."""
    frame = counts.assign(provision=match_label(counts["match_class"]))
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X(f"{count_column}:Q", title="Capabilities", axis=COUNT_AXIS),
            y=alt.Y("provision:N", title=None, sort=list(MATCH_COLOURS)),
            color=alt.Color(
                "provision:N",
                scale=alt.Scale(domain=list(MATCH_COLOURS), range=list(MATCH_COLOURS.values())),
                legend=None,
            ),
            tooltip=["provision:N", f"{count_column}:Q"],
        )
        .properties(height=ROW)
    )


def show_chart(chart: alt.Chart) -> None:
    """A chart at full width, every category label shown (Vega hides overlapping ones by default)."""
    st.altair_chart(chart.configure_axisBand(labelOverlap=False), width="stretch")


def short(text: str, length: int = 70) -> str:
    """Text cut to ``length`` characters for chart axes (missing text becomes empty)."""
    if not isinstance(text, str):
        return ""
    return text if len(text) <= length else text[: length - 1] + "…"
