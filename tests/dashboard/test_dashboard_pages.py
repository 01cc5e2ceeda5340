"""Every dashboard page, run headlessly with Streamlit's AppTest against the real test warehouse:
it loads without an exception, shows the warehouse's values, and its filter changes what is shown."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"

PAGES = [
    "data_capture_overview",
    "supply_chain_capabilities",
    "fop_detail",
    "fop_matrix",
    "future_ksb_summary",
    "fop_distribution",
    "capability_provision_status",
    "fop_standard_fit",
    "fop_standard_fit_matrix",
    "fop_capability_matches",
    "fop_vs_provision",
    "fop_priorities",
    "data_quality_findings",
]
TITLES = {
    "data_capture_overview": "Data Capture Overview",
    "supply_chain_capabilities": "Supply Chain Capabilities",
    "fop_detail": "FOP Detail",
    "fop_matrix": "FOP Matrix",
    "future_ksb_summary": "Future KSBs Summary",
    "fop_distribution": "FOP Distribution",
    "capability_provision_status": "Capabilities Matched to Current Provision",
    "fop_standard_fit": "Fit & Surplus Factors",
    "fop_standard_fit_matrix": "Fit & Surplus Matrix",
    "fop_capability_matches": "FOP Capability Matches",
    "fop_vs_provision": "FOP vs Provision",
    "fop_priorities": "FOP Priorities",
    "data_quality_findings": "Data Quality",
}


def open_page(page: str, query_params: dict[str, str] | None = None) -> AppTest:
    """Run the app and switch to one page, failing on any exception the page raised."""
    app = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in (query_params or {}).items():
        app.query_params[name] = value
    app.run()
    app.switch_page(f"views/{page}.py").run()
    return checked(app)


def checked(app: AppTest) -> AppTest:
    assert not app.exception, [error.message for error in app.exception]
    return app


def frame(app: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has ``column``."""
    for element in app.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with column {column!r}; tables: {[list(e.value.columns) for e in app.dataframe]}")


def app_fops(warehouse, cycle: str) -> list[tuple[str, str, str, bool]]:
    """FOPs in the app's order: (fop_key, name, role family, is_priority)."""
    return warehouse.rows(
        """
        SELECT fop_key, name, coalesce(role_level_name, 'Unassigned'), is_priority
        FROM marts.dim_fop WHERE cycle_id = ?
        ORDER BY coalesce(role_level_id, 999), name
        """,
        [cycle],
    )


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_with_its_title(page: str) -> None:
    app = open_page(page)
    assert app.title[0].value == TITLES[page]


def test_every_view_file_is_a_tested_page() -> None:
    assert sorted(path.stem for path in (APP.parent / "views").glob("*.py")) == sorted(PAGES)


def test_data_capture_overview_shows_the_cycle(warehouse, cycle: str) -> None:
    title, capabilities, fops = warehouse.rows(
        "SELECT cycle_title, capabilities, fops FROM marts.data_capture_overview WHERE cycle_id = ?", [cycle]
    )[0]
    app = open_page("data_capture_overview")
    assert app.subheader[0].value == (title or cycle)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Capabilities"] == str(capabilities)
    assert metrics["FOPs"] == str(fops)
    assert app.sidebar.selectbox(key="cycle_id").value == cycle
    all_cycles = [row[0] for row in warehouse.rows("SELECT cycle_id FROM marts.data_capture_overview ORDER BY 1")]
    assert app.selectbox(key="cycle_id").options == [
        f"{t or c} ({c})"
        for c, t in warehouse.rows("SELECT cycle_id, cycle_title FROM marts.data_capture_overview ORDER BY 1")
    ]
    assert app.table[0].value.index.tolist() == all_cycles  # a plain table: every column on screen
    assert "Partial match" in app.table[0].value.columns


def test_a_cycle_link_opens_that_cycle(warehouse) -> None:
    first = warehouse.value("SELECT min(cycle_id) FROM marts.data_capture_overview")
    title = warehouse.value("SELECT cycle_title FROM marts.data_capture_overview WHERE cycle_id = ?", [first])
    app = open_page("data_capture_overview", {"cycle": first})
    assert app.selectbox(key="cycle_id").value == first
    assert app.subheader[0].value == (title or first)


def test_supply_chain_partner_filter(warehouse, cycle: str) -> None:
    everything = warehouse.value(
        "SELECT count(DISTINCT capability_key) FROM marts.supply_chain_capabilities WHERE cycle_id = ?", [cycle]
    )
    partner_key, partner_capabilities = warehouse.rows(
        """
        SELECT partner_key, count(DISTINCT capability_key) AS n FROM marts.supply_chain_capabilities
        WHERE cycle_id = ? GROUP BY partner_key ORDER BY n, partner_key LIMIT 1
        """,
        [cycle],
    )[0]
    app = open_page("supply_chain_capabilities")
    assert len(frame(app, "capability_statement")) == everything
    app.multiselect(key="scc_partners").set_value([partner_key]).run()
    shown = frame(checked(app), "capability_statement")
    assert len(shown) == partner_capabilities < everything
    assert shown["matched_statements"].str.startswith("capabilities_matched?").all()


def test_fop_detail_follows_the_chosen_fop(warehouse, cycle: str) -> None:
    fops = app_fops(warehouse, cycle)
    app = open_page("fop_detail")
    first_key, first_name = fops[0][0], fops[0][1]
    expected = {
        row[0] for row in warehouse.rows("SELECT capability_key FROM marts.fop_detail WHERE fop_key = ?", [first_key])
    }
    assert set(frame(app, "capability_key")["capability_key"]) == expected
    assert any(first_name in markdown.value for markdown in app.markdown)

    other_key = fops[-1][0]
    app.selectbox(key="detail_fop").set_value(other_key).run()
    expected = {
        row[0] for row in warehouse.rows("SELECT capability_key FROM marts.fop_detail WHERE fop_key = ?", [other_key])
    }
    assert set(frame(checked(app), "capability_key")["capability_key"]) == expected

    family = fops[0][2]
    app.selectbox(key="detail_family").set_value(family).run()
    assert set(checked(app).selectbox(key="detail_fop").options) == {name for _, name, f, _ in fops if f == family}


def test_fop_matrix_fop_filter_and_hide_empty(warehouse, cycle: str) -> None:
    fops = app_fops(warehouse, cycle)
    app = open_page("fop_matrix")
    matrix = frame(app, "capability_statement")
    assert {name for _, name, _, _ in fops} <= set(matrix.columns)
    fop_key, fop_name = fops[0][0], fops[0][1]
    in_fop = warehouse.value("SELECT count(DISTINCT capability_key) FROM marts.fop_matrix WHERE fop_key = ?", [fop_key])
    app.multiselect(key="matrix_fops").set_value([fop_key]).run()
    matrix = frame(checked(app), "capability_statement")
    assert len(matrix) == in_fop
    assert set(matrix[fop_name]) <= {"1 Awareness", "2 Practitioner", "3 Expert"}
    app.toggle(key="matrix_hide_empty").set_value(False).run()
    all_capabilities = warehouse.value("SELECT count(*) FROM marts.dim_capability WHERE cycle_id = ?", [cycle])
    assert len(frame(checked(app), "capability_statement")) == all_capabilities


def test_future_ksbs_search(warehouse, cycle: str) -> None:
    rows = warehouse.rows(
        "SELECT capability_statement FROM marts.future_ksb_summary WHERE cycle_id = ? ORDER BY capability_key",
        [cycle],
    )
    app = open_page("future_ksb_summary")
    assert len(frame(app, "knowledge_tags")) == len(rows)
    word = max(rows[0][0].split(), key=len).lower()
    app.text_input(key="ksb_search").input(word).run()
    shown = frame(checked(app), "knowledge_tags")
    assert 1 <= len(shown) <= len(rows)
    assert shown.astype(str).fillna("").apply(lambda row: word in " ".join(row).lower(), axis=1).all()
    assert rows[0][0] in shown["capability_statement"].tolist()


def test_fop_distribution_minimum_fops(warehouse, cycle: str) -> None:
    totals = [
        row[0] for row in warehouse.rows("SELECT fops_total FROM marts.fop_distribution WHERE cycle_id = ?", [cycle])
    ]
    app = open_page("fop_distribution")
    assert len(frame(app, "fops_total")) == sum(total >= 1 for total in totals)  # empty rows hidden by default
    app.slider(key="dist_min").set_value(0).run()
    assert len(frame(checked(app), "fops_total")) == len(totals)
    minimum = max(totals)
    app.slider(key="dist_min").set_value(minimum).run()
    shown = frame(checked(app), "fops_total")
    assert len(shown) == sum(total >= minimum for total in totals) < len(totals)


def test_fop_detail_lists_the_nearest_occupations_of_each_framework(warehouse, cycle: str) -> None:
    fop_key = app_fops(warehouse, cycle)[-1][0]
    app = open_page("fop_detail")
    app.selectbox(key="detail_fop").set_value(fop_key).run()
    shown = [e.value["occupation_label"].tolist() for e in checked(app).dataframe if "occupation_label" in e.value]
    expected = [
        [
            row[0]
            for row in warehouse.rows(
                "SELECT occupation_label FROM marts.fop_occupation_match "
                "WHERE fop_key = ? AND framework = ? AND rank <= 5 ORDER BY rank",
                [fop_key, framework],
            )
        ]
        for framework in ("esco", "onet")
    ]
    assert shown == expected and all(len(labels) == 5 for labels in expected)


def test_capabilities_matched_filter_and_link(warehouse, cycle: str) -> None:
    classes = dict(
        warehouse.rows(
            "SELECT match_class, count(*) FROM marts.capability_provision_status WHERE cycle_id = ? GROUP BY 1", [cycle]
        )
    )
    app = open_page("capability_provision_status")
    assert len(frame(app, "best_similarity")) == sum(classes.values())
    app.radio(key="cm_matched").set_value("Not matched").run()
    shown = frame(checked(app), "best_similarity")
    assert len(shown) == classes.get("none", 0)
    assert set(shown["match_class"]) <= {"none"}
    # A gap names no covering standard, although the mart keeps the nearest one.
    assert shown["best_standard_reference"].isna().all() and shown["best_alignment"].isna().all()
    app.radio(key="cm_matched").set_value("Partial match").run()
    covered = frame(checked(app), "best_similarity")
    assert len(covered) == classes.get("partial", 0) > 0
    assert covered["best_standard_reference"].notna().all() and covered["best_alignment"].notna().all()
    assert covered["standard_route"].notna().all()

    key = warehouse.value(
        """
        SELECT capability_key FROM marts.capability_provision_status
        WHERE cycle_id = ? AND best_similarity IS NOT NULL AND match_class = 'none'
          AND best_standard_reference IS NOT NULL
        ORDER BY best_similarity, capability_key LIMIT 1
        """,
        [cycle],
    )
    assert key, "no not-matched capability with a nearest standard: the gap panel cannot be shown"
    statements = [
        row[0]
        for row in warehouse.rows(
            "SELECT m.statement_text FROM marts.capability_provision_match AS m "
            "INNER JOIN marts.dim_standard AS s USING (standard_key) "
            "WHERE m.capability_key = ? AND s.status = 'Approved for delivery' ORDER BY m.rank",
            [key],
        )
    ]
    default = open_page("capability_provision_status").selectbox(key="cm_capability").value
    assert default != key  # the page opens on the best-matched capability; the link names another
    linked = open_page("capability_provision_status", {"cycle": cycle, "capability": key})
    assert linked.selectbox(key="cm_capability").value == key
    assert frame(linked, "statement_text")["statement_text"].tolist() == statements
    assert any("A gap in current provision" in text.value for text in linked.markdown)
    assert not any("best-ranked standard" in text.value for text in linked.markdown)
    assert "Nearest standards (none provides this capability)" in [header.value for header in linked.subheader]

    covered_key, reference = warehouse.rows(
        """
        SELECT capability_key, best_standard_reference FROM marts.capability_provision_status
        WHERE cycle_id = ? AND match_class <> 'none' ORDER BY best_similarity DESC, capability_key LIMIT 1
        """,
        [cycle],
    )[0]
    covered = open_page("capability_provision_status", {"cycle": cycle, "capability": covered_key})
    assert any(f"in the covering standard {reference}" in text.value for text in covered.markdown)
    assert "Standards ranked for this capability" in [header.value for header in covered.subheader]


def test_fit_surplus_factors_follow_the_fop(warehouse, cycle: str) -> None:
    fops = app_fops(warehouse, cycle)

    def best_standards(fop_key: str) -> list[str]:
        return [
            row[0]
            for row in warehouse.rows(
                """
            SELECT f.standard_key FROM marts.fop_standard_fit AS f
            WHERE f.fop_key = ? AND f.standard_status = 'Approved for delivery'
            ORDER BY f.rank LIMIT 10
            """,
                [fop_key],
            )
        ]

    app = open_page("fop_standard_fit")
    assert frame(app, "fit")["standard_key"].tolist() == best_standards(fops[0][0])
    app.selectbox(key="fsf_fop").set_value(fops[-1][0]).run()
    assert frame(checked(app), "fit")["standard_key"].tolist() == best_standards(fops[-1][0])
    app.slider(key="fsf_top").set_value(5).run()
    assert frame(checked(app), "fit")["standard_key"].tolist() == best_standards(fops[-1][0])[:5]


def test_standards_show_where_their_occupation_is_found(warehouse, cycle: str) -> None:
    """Fit & Surplus Factors and FOP vs Provision show each standard's sector statement from
    marts.dim_standard next to its title, so a planner sees the industry a standard was written for."""
    fop_key = app_fops(warehouse, cycle)[0][0]
    expected = dict(
        warehouse.rows(
            """
            SELECT f.standard_key, d.sector_statement FROM marts.fop_standard_fit AS f
            JOIN marts.dim_standard AS d USING (standard_key)
            WHERE f.fop_key = ? AND f.standard_status = 'Approved for delivery' AND f.rank <= 10
            """,
            [fop_key],
        )
    )
    assert any(expected.values())
    shown = frame(open_page("fop_standard_fit"), "fit")
    sector = shown["standard_sector"].astype(object).where(shown["standard_sector"].notna(), None)
    assert dict(zip(shown["standard_key"], sector, strict=True)) == expected
    table = frame(open_page("fop_vs_provision"), "fit_rank")
    sectors = dict(warehouse.rows("SELECT standard_key, sector_statement FROM marts.dim_standard"))
    sector = table["standard_sector"].astype(object).where(table["standard_sector"].notna(), None)
    assert sector.tolist() == [sectors[key] for key in table["standard_key"]]


def test_fit_surplus_factors_of_a_fop_without_capabilities_rank_by_alignment(warehouse, cycle: str) -> None:
    empty = warehouse.rows(
        """
        SELECT f.fop_key FROM marts.dim_fop AS f
        WHERE f.cycle_id = ? AND NOT EXISTS (SELECT 1 FROM marts.fop_detail AS d WHERE d.fop_key = f.fop_key)
        ORDER BY f.name LIMIT 1
        """,
        [cycle],
    )
    # The report rates one priority FOP (Automation Digitalisation Specialist) on no capability.
    assert empty, "every FOP of this warehouse lists capabilities: the empty-FOP case cannot be shown"
    fop_key = empty[0][0]
    best = [
        row[0]
        for row in warehouse.rows(
            """
            SELECT standard_key FROM marts.fop_standard_fit
            WHERE fop_key = ? AND standard_status = 'Approved for delivery' ORDER BY rank LIMIT 10
            """,
            [fop_key],
        )
    ]
    app = open_page("fop_standard_fit", {"cycle": cycle, "fop": fop_key})
    assert best and frame(app, "fit")["standard_key"].tolist() == best
    assert any("lists no capabilities" in info.value for info in app.info)
    assert not app.get("vega_lite_chart") and not app.get("arrow_vega_lite_chart")  # no empty bars


def test_fit_surplus_matrix_filters(warehouse, cycle: str) -> None:
    def best(per_fop: int) -> list[tuple[str, str]]:
        return warehouse.rows(
            """
            SELECT m.fop_key, m.standard_key FROM marts.fop_standard_fit_matrix AS m
            INNER JOIN marts.dim_standard AS s USING (standard_key)
            WHERE m.cycle_id = ? AND s.status = 'Approved for delivery'
            QUALIFY row_number() OVER (PARTITION BY m.fop_key ORDER BY m.fit_rank) <= ?
            """,
            [cycle, per_fop],
        )

    def shown_pairs(app: AppTest) -> set[tuple[str, str]]:
        shown = frame(checked(app), "standard_label")
        return set(zip(shown["fop_key"], shown["standard_key"], strict=False))

    app = open_page("fop_standard_fit_matrix")
    assert shown_pairs(app) == set(best(3))
    most = warehouse.value("SELECT max(fit_rank) FROM marts.fop_vs_provision")  # the dbt var, read back
    assert checked(app).slider(key="fsm_per_fop").max == most
    app.slider(key="fsm_per_fop").set_value(most).run()
    assert shown_pairs(app) == set(best(most))
    assert len(best(most)) > len(best(3))
    fop_key = app_fops(warehouse, cycle)[0][0]
    app.multiselect(key="fsm_fops").set_value([fop_key]).run()
    assert shown_pairs(app) == {pair for pair in best(most) if pair[0] == fop_key}
    fops = app_fops(warehouse, cycle)
    family = fops[-1][2]
    app.selectbox(key="fsm_family").set_value(family).run()
    assert set(checked(app).multiselect(key="fsm_fops").options) == {name for _, name, f, _ in fops if f == family}


def test_fop_capability_matches_fop_and_match_filters(warehouse, cycle: str) -> None:
    pairs = warehouse.value(
        "SELECT count(DISTINCT (fop_key, capability_key)) FROM marts.fop_capability_matches WHERE cycle_id = ?",
        [cycle],
    )
    app = open_page("fop_capability_matches")
    assert len(frame(app, "matches")) == pairs
    fop_key = app_fops(warehouse, cycle)[0][0]
    per_capability = dict(
        warehouse.rows(
            "SELECT capability_key, max(matches) FROM marts.fop_capability_matches WHERE fop_key = ? GROUP BY 1",
            [fop_key],
        )
    )
    app.selectbox(key="fcm_fop").set_value(fop_key).run()
    shown = frame(checked(app), "matches")
    assert dict(zip(shown["capability_key"], shown["matches"], strict=False)) == per_capability
    app.radio(key="fcm_matched").set_value("Not matched").run()
    shown = frame(checked(app), "matches")
    assert len(shown) == sum(count == 0 for count in per_capability.values())


def test_fop_capability_matches_show_each_statement_with_its_standard_s_alignment(warehouse, cycle: str) -> None:
    fop_key, capability_key = warehouse.rows(
        """
        SELECT fop_key, capability_key FROM marts.fop_capability_matches
        WHERE cycle_id = ? AND matches > 0 AND standard_status = 'Approved for delivery'
        ORDER BY matches DESC, fop_key, capability_key LIMIT 1
        """,
        [cycle],
    )[0]
    alignment = dict(
        warehouse.rows("SELECT standard_key, alignment FROM marts.fop_standard_fit WHERE fop_key = ?", [fop_key])
    )
    app = open_page("fop_capability_matches")
    app.selectbox(key="fcm_fop").set_value(fop_key).run()
    checked(app).selectbox(key="fcm_capability").set_value(capability_key).run()
    detail = [e.value for e in checked(app).dataframe if "statement_text" in e.value][-1]  # below the capabilities
    assert set(detail["capability_key"]) == {capability_key}
    assert len(detail) > 0 and detail["shared_terms"].notna().any()
    assert detail["alignment"].tolist() == pytest.approx([alignment[key] for key in detail["standard_key"]])


def test_fop_vs_provision_standard_filter(warehouse, cycle: str) -> None:
    with_standards = {
        row[0]
        for row in warehouse.rows("SELECT DISTINCT fop_key FROM marts.fop_vs_provision WHERE cycle_id = ?", [cycle])
    }
    fop_key = next(key for key, _, _, _ in app_fops(warehouse, cycle) if key in with_standards)
    standards = [
        row[1]
        for row in warehouse.rows(
            "SELECT DISTINCT v.fit_rank, v.standard_key FROM marts.fop_vs_provision AS v "
            "INNER JOIN marts.dim_standard AS s USING (standard_key) "
            "WHERE v.fop_key = ? AND s.status = 'Approved for delivery' ORDER BY v.fit_rank",
            [fop_key],
        )
    ]
    assert standards, "no approved-for-delivery standard among this FOP's best-fitting ones"
    capabilities = warehouse.value(
        "SELECT count(DISTINCT capability_key) FROM marts.fop_vs_provision WHERE fop_key = ?", [fop_key]
    )
    app = open_page("fop_vs_provision")
    app.selectbox(key="fvp_fop").set_value(fop_key).run()
    assert frame(checked(app), "fit_rank")["standard_key"].tolist() == standards
    alignment = dict(
        warehouse.rows("SELECT standard_key, alignment FROM marts.fop_standard_fit WHERE fop_key = ?", [fop_key])
    )
    shown = frame(app, "fit_rank")
    assert shown["alignment"].tolist() == pytest.approx([alignment[key] for key in standards])  # the evidence
    assert len(frame(app, "capability_statement")) == capabilities
    app.slider(key="fvp_top").set_value(1).run()
    assert frame(checked(app), "fit_rank")["standard_key"].tolist() == standards[:1]
    app.toggle(key="fvp_all_statuses").set_value(True).run()
    assert len(frame(checked(app), "fit_rank")) == 1


def test_fop_priorities_priority_toggle(warehouse, cycle: str) -> None:
    total, priority = warehouse.rows(
        "SELECT count(*), count(*) FILTER (WHERE is_priority) FROM marts.fop_priorities WHERE cycle_id = ?", [cycle]
    )[0]
    app = open_page("fop_priorities")
    assert frame(app, "action_rank")["action_rank"].is_monotonic_increasing
    assert len(frame(app, "action_rank")) == total
    app.toggle(key="fp_priority_only").set_value(True).run()
    assert len(frame(checked(app), "action_rank")) == priority < total
    gaps = warehouse.value("SELECT count(*) FROM marts.capability_gap_actions WHERE cycle_id = ?", [cycle])
    assert len(frame(app, "horizon")) == gaps


def test_data_quality_findings_and_gx_results(warehouse, cycle: str) -> None:
    findings = warehouse.value("SELECT count(*) FROM marts.data_quality_findings WHERE cycle_id = ?", [cycle])
    app = open_page("data_quality_findings")
    assert len(frame(app, "finding")) == findings
    runs = warehouse.rows(
        "SELECT run_id, count(*), count(*) FILTER (WHERE NOT success) FROM marts.quality_results "
        "GROUP BY run_id ORDER BY max(run_at) DESC"
    )
    if runs:
        run_id, expectations, failed = runs[0]
        assert app.selectbox(key="dq_run").value == run_id
        assert len(frame(app, "expectation")) == expectations
        app.toggle(key="dq_failed_only").set_value(True).run()
        assert len(frame(checked(app), "expectation")) == failed
    else:
        assert any("No quality results" in info.value for info in app.info)
    severities = warehouse.rows(
        "SELECT severity, count(*) FROM marts.data_quality_findings WHERE cycle_id = ? GROUP BY 1 ORDER BY 1", [cycle]
    )
    if severities:
        app.multiselect(key="dq_severity").set_value([severities[0][0]]).run()
        assert len(frame(checked(app), "finding")) == severities[0][1]


def test_gaps_without_fop_data_get_no_horizon(warehouse, cycle: str) -> None:
    """A gap no FOP lists is 'no FOP data' (not short-term CPD), and every reason is in plain words."""
    rows = warehouse.rows(
        """
        SELECT g.horizon, g.horizon_reason, count(p.fop_key) AS fops
        FROM marts.capability_gap_actions AS g
        LEFT JOIN marts.fct_fop_capability_proficiency AS p USING (capability_key)
        WHERE g.cycle_id = ? GROUP BY ALL
        """,
        [cycle],
    )
    assert rows
    assert all((horizon == "no FOP data") == (fops == 0) for horizon, _, fops in rows)
    assert not any(reason.startswith(("R1", "R2", "R3")) for _, reason, _ in rows)
    app = open_page("fop_priorities")
    gaps = frame(app, "horizon")
    assert "horizon_reason" in gaps.columns and "horizon_rule" not in gaps.columns


def test_data_gaps_are_said_where_they_matter(warehouse, cycle: str) -> None:
    capabilities, rated = warehouse.rows(
        "SELECT count(*), count(*) FILTER (WHERE capability_key IN "
        "(SELECT capability_key FROM marts.fct_fop_capability_proficiency)) "
        "FROM marts.dim_capability WHERE cycle_id = ?",
        [cycle],
    )[0]
    note = warehouse.value(
        "SELECT note FROM marts.dashboard_data_gaps WHERE cycle_id = ? AND topic = 'proficiency'", [cycle]
    )
    assert f"for {rated} of {capabilities} capabilities" in note
    app = open_page("fop_distribution")
    assert any(note in info.value for info in app.info)
    app = open_page("supply_chain_capabilities")
    partners = warehouse.value(
        "SELECT note FROM marts.dashboard_data_gaps WHERE cycle_id = ? AND topic = 'partners'", [cycle]
    )
    assert any(partners in info.value for info in app.info)


def test_downloads_carry_readable_headers_and_fop_names(warehouse, cycle: str) -> None:
    from wfh.dashboard import ui

    app = open_page("fop_distribution")
    shown = frame(app, "fops_total")
    columns = {"capability_statement": "Capability", "fops_total": "FOPs", "expert_fops": "FOPs at Expert"}
    export = ui.readable(shown, columns)
    assert list(export.columns) == ["Capability", "FOPs", "FOPs at Expert"]
    expert = warehouse.value(
        "SELECT expert_fops FROM marts.fop_distribution WHERE cycle_id = ? AND expert_fops IS NOT NULL "
        "ORDER BY fops_total DESC, capability_key LIMIT 1",
        [cycle],
    )
    assert expert in export["FOPs at Expert"].tolist()
