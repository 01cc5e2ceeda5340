"""The report's tool views (dbt_project/models/marts/tool_views) on a real refresh of the subset."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL_VIEWS = ROOT / "dbt_project" / "models" / "marts" / "tool_views"
QUERIES = ROOT / "docs" / "queries"


@pytest.fixture(scope="module")
def con(published_warehouse):
    with duckdb.connect(str(published_warehouse / "wfh.duckdb"), read_only=True) as connection:
        yield connection


def test_fit_and_surplus_match_an_independent_recomputation(con):
    """fit = share of the FOP's capabilities whose best statement in the standard is covered;
    surplus = share of the standard's duty and skill statements none of the FOP's capabilities
    covers (covered = class match or partial)."""
    fop_key, standard_key, fit, surplus, counts = con.sql("""
        select fop_key, standard_key, fit, surplus,
               [fop_capabilities, fop_capabilities_matched, standard_statements,
                standard_statements_matched]
        from marts.fop_standard_fit
        where fit > 0 and fit < 1
        order by fop_capabilities desc, fit desc, standard_key
        limit 1""").fetchall()[0]

    fop_capabilities = {
        row[0]
        for row in con.sql(
            "select capability_key from marts.fct_fop_capability_proficiency where fop_key = ?", params=[fop_key]
        ).fetchall()
    }
    statements = {
        row[0]
        for row in con.sql(
            "select statement_id from marts.dim_provision_statement where standard_key = ? "
            "and statement_kind in ('duty', 'skill')",
            params=[standard_key],
        ).fetchall()
    }
    covered = con.sql(
        "select capability_key, statement_id from matching.capability_statement_coverage "
        "where match_class in ('match', 'partial')"
    ).fetchall()
    pairs = [(cap, st) for cap, st in covered if cap in fop_capabilities and st in statements]
    capabilities_matched = {cap for cap, _ in pairs}
    statements_matched = {st for _, st in pairs}

    assert counts == [len(fop_capabilities), len(capabilities_matched), len(statements), len(statements_matched)]
    assert fit == pytest.approx(len(capabilities_matched) / len(fop_capabilities))
    assert surplus == pytest.approx(1 - len(statements_matched) / len(statements))


def test_fit_ranks_one_version_per_standard_approved_first(con):
    repeated, approved_after_other, ranks_ok = con.sql("""
        select
            (select count(*) from (select fop_key, standard_reference from marts.fop_standard_fit
                                   group by all having count(*) > 1)),
            (select count(*) from marts.fop_standard_fit a join marts.fop_standard_fit b using (fop_key)
             where a.standard_status = 'Approved for delivery' and b.standard_status <> 'Approved for delivery'
               and a.rank > b.rank),
            (select bool_and(ranks = range(1, n + 1)) from (
                select list(rank order by rank) as ranks, count(*) as n from marts.fop_standard_fit group by fop_key))
    """).fetchall()[0]
    assert repeated == 0 and approved_after_other == 0 and ranks_ok
    flags = dict(
        con.sql("select standard_status, any_value(status_flag) from marts.fop_standard_fit group by 1").fetchall()
    )
    assert flags.get("Approved for delivery") is None
    assert all(flags[s] for s in flags if s != "Approved for delivery")


def test_capability_standard_match_shows_its_evidence(con):
    rows, capabilities, standards = con.sql("""
        select count(*), count(distinct capability_key), count(distinct standard_reference)
        from marts.capability_standard_match""").fetchall()[0]
    assert rows == capabilities * standards and capabilities == 54
    best = con.sql("""
        select best_statement, statement_similarity, top3_similarity, alignment, cycle_alignment, score,
               shared_terms, standard_status, route
        from marts.capability_standard_match
        where capability_statement ilike '%remote QP release%' and rank = 1""").fetchall()
    assert len(best) == 1
    statement, similarity, top3, alignment, cycle_alignment, score, shared, status, route = best[0]
    assert shared is not None  # the evidence column is filled (empty text when no word is shared)
    assert top3 <= similarity  # the mean of the three best never exceeds the best
    settings = dict(con.sql("select setting, value from matching.match_settings").fetchall())
    weight, share = float(settings["capability_alignment_weight"]), float(settings["cycle_alignment_share"])
    assert score == pytest.approx((1 - weight) * top3 + weight * ((1 - share) * alignment + share * cycle_alignment))
    assert status == "Approved for delivery" and route and statement
    # Evidence of the best standard agrees with the statement-level view where both have the statement.
    disagree = con.sql("""
        select count(*) from marts.capability_standard_match m
        join marts.capability_provision_match p
          on p.capability_key = m.capability_key and p.statement_id = m.best_statement_id
        where abs(p.similarity - m.statement_similarity) > 1e-9 or p.match_class <> m.match_class""").fetchall()[0][0]
    assert disagree == 0


def test_capability_alignment_is_the_alignment_of_the_fops_that_hold_it(con):
    """A capability's alignment with a standard is the mean of the standard's alignment with the
    FOPs holding the capability (fop_standard_fit); a capability no FOP holds keeps its own."""
    held, mismatched = con.sql("""
        with expected as (
            select p.capability_key, f.standard_key, avg(f.alignment) as alignment
            from (select distinct capability_key, fop_key from marts.fct_fop_capability_proficiency) p
            join marts.fop_standard_fit f on f.fop_key = p.fop_key
            group by all
        )
        select count(*), count(*) filter (where abs(m.alignment - e.alignment) > 1e-9
                                             or abs(m.role_alignment - e.alignment) > 1e-9)
        from marts.capability_standard_match m
        join expected e using (capability_key, standard_key)""").fetchall()[0]
    assert held > 0 and mismatched == 0
    unheld = con.sql("""
        select count(*) filter (where alignment is distinct from capability_alignment), count(*)
        from marts.capability_standard_match
        where capability_key not in (select capability_key from marts.fct_fop_capability_proficiency)""").fetchall()[0]
    assert unheld[0] == 0


def test_provision_status_has_one_row_per_capability(con):
    capabilities = con.sql("select count(*) from marts.dim_capability").fetchall()[0][0]
    rows, distinct, classes = con.sql(
        "select count(*), count(distinct capability_key), list(distinct match_class) "
        "from marts.capability_provision_status"
    ).fetchall()[0]
    assert rows == distinct == capabilities == 54
    assert set(classes) <= {"match", "partial", "none"}


def _distribution(con, highlight_number: int) -> tuple:
    return con.sql(
        """
        select fops_total, fops_awareness, fops_practitioner, fops_expert, awareness_fops
        from marts.fop_distribution
        inner join marts.dim_capability using (capability_key)
        where highlight_number = ?""",
        params=[highlight_number],
    ).fetchall()[0]


@pytest.mark.parametrize(
    "highlight_number, expected, awareness_names",
    [
        (8, (14, 1, 5, 8), ["Data Integration Specialist"]),
        (1, (8, 3, 1, 4), ["Compliance Officer (Logistics)", "Cryogenic Expert", "Designated Individual (HTA)"]),
    ],
)
def test_fop_distribution_per_level(con, highlight_number, expected, awareness_names):
    """Capability 8 (report Table 10): 14 FOPs, 1 / 5 / 8 at Awareness / Practitioner / Expert;
    capability 1 (Table 3): 8 FOPs, 3 / 1 / 4."""
    total, awareness, practitioner, expert, names = _distribution(con, highlight_number)
    assert (total, awareness, practitioner, expert) == expected
    assert names.split("; ") == awareness_names


def test_gap_actions_cover_each_capability_without_a_match(con):
    gaps, horizons = con.sql("select count(*), list(distinct horizon) from marts.capability_gap_actions").fetchall()[0]
    not_matched = con.sql(
        "select count(*) from marts.capability_provision_status where match_class <> 'match'"
    ).fetchall()[0][0]
    assert gaps == not_matched > 0
    assert set(horizons) <= {"short-term CPD", "medium-term standard revision", "long-term new standard", "no FOP data"}


def test_report_reconciliation_covers_appendix_a_and_highlights(con):
    """We say "without provision" when the best match class is not 'match'."""
    appendix, highlighted_only, wrong_agreement, wrong_explanation = con.sql("""
        select count(*) filter (where report_without_provision),
               count(*) filter (where not report_without_provision),
               count(*) filter (where agrees <> (report_without_provision = (our_match_class <> 'match'))),
               count(*) filter (where agrees <> starts_with(explanation, 'Agree'))
        from marts.report_reconciliation""").fetchall()[0]
    assert appendix == 40  # Table 26 lists 40 capabilities without identified provision
    assert highlighted_only == 14  # 19 highlighted, 5 of them also in Appendix A
    assert wrong_agreement == wrong_explanation == 0


def test_every_tool_view_has_an_example_query_that_runs(con):
    marts = sorted(path.stem for path in TOOL_VIEWS.glob("*.sql"))
    assert sorted(path.stem for path in QUERIES.glob("*.sql")) == marts
    for name in marts:
        query = (QUERIES / f"{name}.sql").read_text()
        assert f"marts.{name}" in query, f"docs/queries/{name}.sql does not query its mart"
        con.sql(query).pl()  # as `wfh sql` runs it


def test_fop_occupations_are_labelled_and_checked_against_the_crosswalk(con):
    """Every FOP links to its nearest ESCO and O*NET occupations, labelled from the dimensions, and
    crosswalk_partner_rank equals the best rank of a crosswalk partner among the FOP's links to the
    other framework, recomputed here from the raw links and the official crosswalk."""
    fops, top_k = con.sql(
        "select count(*), (select cast(value as integer) from matching.match_settings where setting = 'fop_top_k') "
        "from marts.dim_fop"
    ).fetchall()[0]
    per_framework = con.sql(
        "select framework, count(distinct fop_key), max(rank), count(*) filter (where occupation_label is null) "
        "from marts.fop_occupation_match group by framework order by framework"
    ).fetchall()
    assert per_framework == [("esco", fops, top_k, 0), ("onet", fops, top_k, 0)]

    links = con.sql("select fop_key, framework, occupation_id, rank from matching.fop_occupation_links").fetchall()
    pairs = set(
        con.sql(
            "select esco_occupation_uri, onet_soc_code from marts.bridge_esco_onet_crosswalk "
            "where esco_occupation_uri is not null"
        ).fetchall()
    )
    expected = {}
    for fop, framework, occupation, _ in links:
        partners = [
            rank
            for other_fop, other_framework, other, rank in links
            if other_fop == fop
            and other_framework != framework
            and ((occupation, other) if framework == "esco" else (other, occupation)) in pairs
        ]
        expected[(fop, framework, occupation)] = min(partners, default=None)
    shown = {
        (fop, framework, occupation): partner
        for fop, framework, occupation, partner in con.sql(
            "select fop_key, framework, occupation_id, crosswalk_partner_rank from marts.fop_occupation_match"
        ).fetchall()
    }
    assert shown == expected
    assert any(partner is not None for partner in shown.values())  # the check can tell both cases apart
