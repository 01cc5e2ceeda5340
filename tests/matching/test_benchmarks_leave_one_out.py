"""Leave-one-out provision ranking benchmark builders (bench/bench_provision_ranking.py).

Real data: the session's subset warehouse (``published_warehouse``, tests/conftest.py); hand-made
score matrices for the ranking rules."""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl
import pytest

from wfh.embeddings import EmbeddingStore, cache_file_for, normalise_text
from wfh.matching import benchmarks as bm
from wfh.matching.scoring import ScoreWeights, ScoringIndex


@pytest.fixture(scope="module")
def provision(published_warehouse):
    with duckdb.connect(str(published_warehouse / "wfh.duckdb"), read_only=True) as con:
        return bm.provision_loo_statements(con)


@pytest.fixture(scope="module")
def onet(published_warehouse):
    with duckdb.connect(str(published_warehouse / "wfh.duckdb"), read_only=True) as con:
        return bm.onet_loo_statements(con)


def test_provision_set_reads_latest_approved_duties_skills_and_profiles(provision):
    statements, profiles = provision
    st1406 = statements.filter(pl.col("group_id") == "ST1406")
    assert st1406.filter(pl.col("kind") == "duty").height == 18
    assert st1406.filter(pl.col("kind") == "skill").height == 46
    # one version per standard: every statement id of ST1406 names the same standard key
    assert st1406["statement_id"].str.split(":").list.get(1).n_unique() == 1
    profile = profiles.filter(pl.col("group_id") == "ST1406")["profile"].to_list()
    assert len(profile) == 1
    assert profile[0].startswith("Science manufacturing technician 2023. ")
    assert profile[0].endswith(". Engineering and manufacturing")
    # ST0473's approved version is old-template: skill items, no structured duties
    st0473 = statements.filter(pl.col("group_id") == "ST0473")
    assert set(st0473["kind"].to_list()) == {"skill"}


def test_held_out_duty_is_in_no_pool_and_its_standard_keeps_statements(provision):
    statements, profiles = provision
    loo = bm.leave_one_out_set("provision", statements, profiles, pool_kinds=("duty",))
    assert len(loo.query_ids) > 20
    assert not set(loo.query_ids) & set(loo.pool.ids)
    pool_texts = {(g, t) for g, t in zip(loo.pool.extra["group"], loo.pool.labels, strict=False)}
    for group, text in zip(loo.query_group, loo.query_texts, strict=False):
        assert (group, text) not in pool_texts
        # nor in another standard: shared verbatim texts are never held out
        assert text not in set(loo.pool.labels)
    assert set(loo.pool.extra["kind"]) == {"duty"}
    assert set(loo.query_group) <= set(loo.pool_group)
    # one query per standard, held out among its duties
    assert len(set(loo.query_group)) == len(loo.query_ids)
    duty_ids = set(statements.filter(pl.col("kind") == "duty")["statement_id"].to_list())
    assert set(loo.query_ids) <= duty_ids
    # a standard without duties is ranked (by its other statements) but never queried
    assert "ST0473" in loo.group_ids and loo.group_ids.index("ST0473") not in set(loo.query_group)


def test_same_queries_whatever_the_pool_and_a_cap_keeps_a_stable_subset(provision):
    statements, profiles = provision
    duties = bm.leave_one_out_set("provision", statements, profiles, pool_kinds=("duty",))
    with_skills = bm.leave_one_out_set("provision", statements, profiles, pool_kinds=("duty", "skill"))
    assert duties.query_ids == with_skills.query_ids
    assert "skill" in set(with_skills.pool.extra["kind"])
    capped = bm.leave_one_out_set("provision", statements, profiles, max_queries=10)
    assert len(capped.query_ids) == 10 and set(capped.query_ids) <= set(duties.query_ids)
    assert capped.query_ids == bm.leave_one_out_set("provision", statements, profiles, max_queries=10).query_ids
    # the cap limits queries, not the standards ranked
    assert capped.group_ids == duties.group_ids


def test_tfidf_of_the_pool_never_sees_the_held_out_words(published_warehouse, provision):
    statements, profiles = provision
    # The subset's route: its duties are in the subset warehouse's embedding cache.
    health = profiles.filter(pl.col("route") == "Health and science")
    loo = bm.leave_one_out_set(
        "provision",
        statements.filter(pl.col("group_id").is_in(health["group_id"].to_list())),
        health,
        pool_kinds=("duty",),
    )
    assert len(loo.query_ids) > 10
    store = EmbeddingStore(cache_file_for(published_warehouse / "wfh.duckdb"), read_only=True)
    index = ScoringIndex(loo.pool, store, ScoreWeights(1.0, 0, 0, 1.0))
    assert index.candidates.ids == loo.pool.ids
    analyse = index.vectorizer.build_analyzer()
    pool_terms = {t for text in loo.pool.labels for t in analyse(normalise_text(text))}
    only_held_out = {t for text in loo.query_texts for t in analyse(text)} - pool_terms
    assert only_held_out, "the subset has held-out duties with words of their own"
    assert not only_held_out & set(index.vectorizer.vocabulary_)


def test_onet_set_holds_out_one_task_per_occupation(onet):
    statements, profiles = onet
    loo = bm.leave_one_out_set("onet", statements, profiles, query_kinds=("task",), max_queries=200)
    assert len(loo.query_ids) == 200
    assert not set(loo.query_ids) & set(loo.pool.ids)
    assert len(set(loo.query_group)) == 200
    chemist = loo.group_profiles[loo.group_ids.index("19-2031.00")]
    assert chemist.startswith("Chemists. ")


def test_group_scores_aggregate_each_groups_statements():
    scores = np.array([[0.1, 0.9, 0.3, 0.5, 0.4]])
    groups = np.array([0, 0, 1, 2, 2])
    assert bm.group_scores(scores, groups, 4, "max").tolist() == [[0.9, 0.3, 0.5, -np.inf]]
    top2 = bm.group_scores(scores, groups, 4, "top2")[0]
    assert np.allclose(top2[:3], [0.5, 0.3, 0.45])  # a group with one statement keeps its score
    assert top2[3] == -np.inf


def test_todays_method_ranks_by_first_appearance_and_misses_outside_top_k():
    scores = np.array([[0.9, 0.8, 0.7, 0.1], [0.9, 0.8, 0.7, 0.1]])
    groups = np.array([0, 0, 1, 2])
    ranks = bm.first_appearance_ranks(scores, groups, np.array([1, 2]), k=3)
    assert ranks.tolist() == [2, 0]
    assert bm.ranks_of_gold(bm.group_scores(scores, groups, 3, "max"), np.array([1, 2])).tolist() == [2, 3]
    metrics = bm.rank_metrics(ranks)
    assert metrics == {"queries": 2.0, "MRR": 0.25, "hit@1": 0.0, "hit@10": 0.5}


def test_family_at_1_counts_near_misses_and_no_answer_as_wrong():
    family = ["Health and science", "Health and science", "Digital"]
    top = np.array([1, 2, -1])
    gold = np.array([0, 0, 0])
    assert bm.family_at_1(top, gold, family) == pytest.approx(1 / 3)
    assert bm.family_at_1(top, gold, None) is None
    assert bm.top_groups(np.array([[0.2, 0.5, 0.5], [-np.inf, -np.inf, 0.1]])).tolist() == [1, 2]


def test_provision_set_carries_the_route_of_each_standard(provision):
    statements, profiles = provision
    loo = bm.leave_one_out_set("provision", statements, profiles)
    assert loo.group_family[loo.group_ids.index("ST1406")] == "Engineering and manufacturing"


def test_zero_queries_keeps_the_whole_pool(provision):
    statements, profiles = provision
    whole = bm.leave_one_out_set("provision", statements, profiles, max_queries=0)
    assert whole.query_ids == []
    held = bm.leave_one_out_set("provision", statements, profiles)
    assert set(held.query_ids) <= set(whole.pool.ids)
    assert len(whole.pool) == len(held.pool) + len(held.query_ids)


def test_profile_set_takes_esco_occupations_as_fops_and_their_crosswalk_partners_as_answers(published_warehouse):
    con = duckdb.connect(str(published_warehouse / "wfh.duckdb"), read_only=True)
    try:
        ps = bm.esco_onet_profile_set(con, max_fops=40)
        again = bm.esco_onet_profile_set(con, max_fops=40)
        fop = ps.fop_texts[0]
        label = fop.split(". ", 1)[0]
        partners = {
            r[0]
            for r in con.sql(
                """select x.onet_soc_code from staging.stg_esco_onet_crosswalk__crosswalk x
                   join staging.stg_esco__occupations o using (esco_occupation_uri)
                   where o.preferred_label = ? and o.description is not null""",
                params=[label],
            ).fetchall()
        }
        essential = {
            r[0]
            for r in con.sql(
                """select s.preferred_label from staging.stg_esco__occupation_skill_relations r
                   join staging.stg_esco__occupations o using (esco_occupation_uri)
                   join staging.stg_esco__skills s using (esco_skill_uri)
                   where o.preferred_label = ? and r.relation_type = 'essential'""",
                params=[label],
            ).fetchall()
        }
        own_label = con.sql(
            "select preferred_label from staging.stg_esco__occupations where esco_occupation_uri = ?",
            params=[ps.fop_ids[0]],
        ).fetchall()[0][0]
    finally:
        con.close()
    assert len(ps.fop_texts) == 40 and again.fop_texts == ps.fop_texts  # a stable sample
    assert len(set(ps.fop_ids)) == 40 and own_label == label  # each pseudo-FOP knows its occupation
    assert all(3 <= len(caps) <= 8 for caps in ps.fop_capabilities)
    assert set(ps.fop_capabilities[0]) <= essential
    # the right answers are crosswalk partners that are O*NET occupations with tasks
    assert {ps.group_ids[g] for g in ps.gold[0]} <= partners
    assert all(len(g) for g in ps.gold)
    assert set(ps.fop_cycle) == set(ps.cycle_titles) and all(ps.cycle_titles.values())
    pool_groups = set(ps.pool.extra["group"])
    assert pool_groups == set(range(len(ps.group_ids)))  # every occupation has tasks, every task a group


def test_ranks_of_any_gold_is_the_rank_of_the_best_placed_right_answer():
    scores = np.array([[0.9, 0.5, 0.7, 0.1], [0.2, 0.3, 0.4, 0.5]])
    gold = [np.array([1, 2]), np.array([0])]
    # query 0: gold 2 (0.7) is second after group 0; query 1: gold 0 is last of four
    assert bm.ranks_of_any_gold(scores, gold).tolist() == [2, 4]


def test_jobbert_onet_task_answers_each_title_with_the_crosswalk_partners_of_its_occupation(tmp_path):
    """Hand-made: three titles, two of whose ESCO occupations have O*NET partners (one has two)."""
    folder = tmp_path / "benchmarks" / "jobbert-title-normalization"
    folder.mkdir(parents=True)
    pl.DataFrame(
        {"vacancyTitle": ["QA lead", "Night porter", "Lab tech"], "conceptUri": ["esco:qa", "esco:porter", "esco:lab"]}
    ).write_csv(folder / "titles.csv")
    con = duckdb.connect()
    con.sql("create schema staging")
    con.sql("""create table staging.stg_esco_onet_crosswalk__crosswalk as
               select * from (values ('esco:qa', '11-3051.01'), ('esco:lab', '19-4021.00'),
                                     ('esco:lab', '29-2011.01'), (null, '99-0000.00'))
               t(esco_occupation_uri, onet_soc_code)""")
    task = bm.jobbert_onet_task(con, root=tmp_path)
    assert task.queries == ["QA lead", "Lab tech"]  # the porter's occupation has no partner
    assert task.relevant == [{"11-3051.01"}, {"19-4021.00", "29-2011.01"}]
