"""Fit evidence on the full similarity (wfh.matching.provision), on small hand-made matrices."""

from __future__ import annotations

import dataclasses

import numpy as np

from wfh.matching import provision
from wfh.matching.config import MatchSettings
from wfh.matching.scoring import Candidates

SETTINGS = dataclasses.replace(MatchSettings.from_config(), match_threshold=0.5, partial_threshold=0.4)
STATEMENTS = Candidates(
    ids=["s1", "s2", "s3", "s4"],
    labels=["Maintain batch records", "Release batches for sale", "Plant crops", "Care for animals"],
    extra={"standard_key": ["ST1_1.0", "ST1_1.0", "ST2_1.0", "ST2_1.0"]},
)


def test_best_statement_per_standard_is_found_beyond_a_global_top_k():
    scores = np.array(
        [
            [0.30, 0.55, 0.42, 0.10],  # capability a: best in ST1 is s2, in ST2 s3
            [0.20, 0.10, 0.05, 0.41],
        ]
    )  # capability b: ST2 via s4 only
    best = provision.best_per_standard(scores, ["c:a", "c:b"], ["release batch", "animal care"], STATEMENTS, SETTINGS)
    rows = {(r["capability_key"], r["standard_key"]): r for r in best.iter_rows(named=True)}
    assert len(rows) == 4
    assert rows[("c:a", "ST1_1.0")]["statement_id"] == "s2" and rows[("c:a", "ST1_1.0")]["match_class"] == "match"
    assert rows[("c:a", "ST2_1.0")]["statement_id"] == "s3" and rows[("c:a", "ST2_1.0")]["match_class"] == "partial"
    assert rows[("c:b", "ST1_1.0")]["statement_id"] == "s1" and rows[("c:b", "ST1_1.0")]["match_class"] == "none"
    assert rows[("c:b", "ST2_1.0")]["statement_id"] == "s4"
    assert rows[("c:a", "ST1_1.0")]["shared_terms"] == "release; batches"


def test_top3_similarity_is_the_mean_of_a_versions_three_best_distinct_statements():
    statements = Candidates(
        ids=["s1", "s2", "s3", "s4", "s5", "s6"],
        labels=["Release batches", "release batches", "Keep records", "Audit sites", "Train staff", "Plant crops"],
        extra={"standard_key": ["ST1_1.0"] * 5 + ["ST2_1.0"]},
    )
    scores = np.array([[0.6, 0.6, 0.3, 0.5, 0.1, 0.2]])  # s2 repeats s1's text: it counts once
    best = provision.best_per_standard(scores, ["c:a"], ["release batch"], statements, SETTINGS)
    top3 = dict(best.select("standard_key", "top3_similarity").rows())
    assert np.isclose(top3["ST1_1.0"], (0.6 + 0.5 + 0.3) / 3)
    assert np.isclose(top3["ST2_1.0"], 0.2)  # fewer than three statements: the mean of what there is
    assert best.filter(best["standard_key"] == "ST1_1.0")["similarity"].item() == 0.6


def test_covering_statements_are_every_pair_at_or_above_the_partial_threshold():
    scores = np.array([[0.30, 0.55, 0.40, 0.10]])
    covered = provision.covering_statements(scores, ["c:a"], STATEMENTS, SETTINGS)
    assert covered.select("statement_id", "match_class").rows() == [("s2", "match"), ("s3", "partial")]


def test_shared_terms_are_content_words_folded_for_plurals():
    assert (
        provision.shared_terms(
            "Maintain electronic batch records using the MES", "Maintain accurate records of each batch"
        )
        == "maintain; records; batch"
    )
    assert provision.shared_terms("Ensure the work is appropriate", "Ensure appropriate work") == ""


def test_cycle_context_is_a_unit_vector_between_title_and_capabilities():
    title = np.array([1.0, 0.0, 0.0])
    capabilities = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    context = provision.cycle_context(title, capabilities)
    assert np.isclose(np.linalg.norm(context), 1.0)
    assert np.isclose(context @ title, context @ np.array([0.0, 1.0, 0.0]))
    assert np.allclose(provision.cycle_context(title, np.zeros((0, 3))), title)


def test_cycle_context_gives_title_capabilities_and_fops_a_third_each():
    title = np.array([1.0, 0.0, 0.0])
    capabilities = np.array([[0.0, 0.5, 0.0], [0.0, 1.5, 0.0]])  # each set's mean counts at unit length
    fops = np.array([[0.0, 0.0, 1.0]])
    context = provision.cycle_context(title, capabilities, fops)
    assert np.allclose(context, np.ones(3) / np.sqrt(3))
    # A cycle without FOPs is read from its title and capabilities alone.
    assert np.allclose(
        provision.cycle_context(title, capabilities, np.zeros((0, 3))), provision.cycle_context(title, capabilities)
    )


def test_group_weights_sum_the_nearest_occupations_per_unit_group():
    group_of = np.array([0, 0, 1, 2])  # occupations 1 and 2 share unit group 0
    scores = np.array([[0.5, 0.5, 0.1, -0.2], [0.0, 0.1, 0.2, 0.9]])
    weights = provision.group_weights(scores, group_of, 3, top_k=2)
    assert np.allclose(weights[0], [1.0, 0.0, 0.0])  # its two nearest are both in group 0
    assert np.allclose(weights[1], np.array([0.0, 0.2, 0.9]) / np.hypot(0.2, 0.9))
    assert np.allclose(np.linalg.norm(weights, axis=1), 1.0)


def test_occupation_alignment_names_the_unit_groups_two_texts_share():
    groups, labels = ["2262", "3213", "8212"], ["Pharmacists", "Pharmaceutical technicians", "Electrical assemblers"]
    fop = provision.OccupationProfiles(np.array([[0.8, 0.6, 0.0]]), groups, labels)
    standards = provision.OccupationProfiles(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), groups, labels)
    alignment, shared = provision.occupation_alignment(fop, standards)
    assert np.allclose(alignment, [0.6, 0.0])
    assert shared == ["Pharmaceutical technicians", None]  # nothing in common: no group named


def test_half_each_gives_title_and_text_an_equal_say():
    title = np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0]])
    text = np.array([[0.0, 1.0, 0.0], [0.6, 0.8, 0.0]])
    both = provision.half_each(title, text)
    assert np.allclose(both[0], [np.sqrt(0.5), np.sqrt(0.5), 0.0])  # disjoint groups: half each
    assert np.allclose(both[1], [0.6, 0.8, 0.0])  # the same groups: unchanged
    assert np.allclose(np.linalg.norm(both, axis=1), 1.0)
