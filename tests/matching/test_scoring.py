"""The scoring function: ranking order, fused views, score range, benchmark metrics."""

from __future__ import annotations

import numpy as np
import pytest

from wfh.embeddings import EmbeddingSettings, EmbeddingStore
from wfh.matching.benchmarks import ranking_metrics
from wfh.matching.config import MatchSettings
from wfh.matching.scoring import Candidates, ScoreWeights, ScoringIndex, lexical_terms, top_k_rows


@pytest.fixture(scope="module")
def store(embedding_model) -> EmbeddingStore:
    return EmbeddingStore(None, settings=EmbeddingSettings.from_config(max_seq_length=128))


def test_top_k_rows_is_ordered_and_breaks_ties_by_index():
    scores = np.array([[0.1, 0.9, 0.5, 0.9], [0.3, 0.2, 0.1, 0.0]])
    idx, sim = top_k_rows(scores, 3)
    assert idx.tolist() == [[1, 3, 2], [0, 1, 2]]
    assert sim.tolist() == [[0.9, 0.9, 0.5], [0.3, 0.2, 0.1]]
    assert top_k_rows(scores, 10)[0].shape == (2, 4)


def test_label_only_score_is_the_cosine_similarity(store):
    candidates = Candidates(ids=["a", "b"], labels=["manage quality", "drive a forklift truck"])
    index = ScoringIndex(candidates, store, ScoreWeights.label_only())
    scores = index.full_scores(["quality management"])
    expected = store.embed(["quality management"]) @ store.embed(candidates.labels).T
    assert np.allclose(scores, expected, atol=1e-6)
    assert scores[0, 0] > scores[0, 1]


def test_fused_views_use_alternatives_and_stay_in_range(store):
    # Real ESCO v1.1.1 texts: 'operate forklift' has the alternative labels 'drive forklift' and
    # 'use a forklift' and the description below.
    candidates = Candidates(
        ids=["forklift", "quality", "nolabels"],
        labels=["operate forklift", "manage quality", "perform cell culture"],
        alternatives=[["drive forklift", "use a forklift"], ["quality management"], []],
        descriptions=[
            "Operate a forklift, a vehicle with a pronged device in front for lifting and carrying heavy loads.",
            None,
            None,
        ],
    )
    weights = ScoreWeights(label=1.0, alternatives=0.5, description=0.5, lexical=0.3)
    index = ScoringIndex(candidates, store, weights)
    scores = index.full_scores(["drive forklift", "quality management", "cell culture"])
    assert np.all(scores <= 1.0 + 1e-6) and np.all(scores >= -1.0 - 1e-6)
    assert scores.argmax(axis=1).tolist() == [0, 1, 2]
    # The alternatives view is the best alternative: an exact alternative label scores 1.
    alternatives_only = ScoringIndex(candidates, store, ScoreWeights(0.0, 1.0, 0.0, 0.0))
    assert alternatives_only.full_scores(["drive forklift"])[0, 0] == pytest.approx(1.0, abs=1e-5)
    assert alternatives_only.full_scores(["drive forklift"])[0, 2] == 0.0  # no view with weight


def test_ranking_metrics_follow_the_benchmark_protocol():
    scores = np.array([[0.9, 0.8, 0.1], [0.1, 0.2, 0.3]])
    metrics = ranking_metrics(scores, ["a", "b", "c"], [{"b"}, {"a", "c"}], ks=(1, 2))
    assert metrics["MRR"] == pytest.approx((1 / 2 + 1) / 2)
    assert metrics["RP@1"] == pytest.approx((0 + 1) / 2)
    assert metrics["RP@2"] == pytest.approx((1 + 1 / 2) / 2)


def test_configured_thresholds_are_ordered_and_classify():
    settings = MatchSettings.from_config()
    assert -1 <= settings.partial_threshold <= settings.match_threshold <= 1
    assert settings.match_class(settings.match_threshold) == "match"
    assert settings.match_class(settings.partial_threshold) == "partial"
    assert settings.match_class(settings.partial_threshold - 1e-6) == "none"


def test_an_empty_candidate_set_ranks_nothing(store):
    index = ScoringIndex(Candidates(ids=[], labels=[]), store, ScoreWeights(1.0, 0.0, 0.0, 1.0))
    idx, sim = index.top_k(["manage quality"], 10)
    assert idx.shape == (1, 0) and sim.shape == (1, 0)


def test_candidates_reject_misaligned_columns():
    with pytest.raises(ValueError, match="descriptions has 1 rows, expected 2"):
        Candidates(ids=["a", "b"], labels=["x", "y"], descriptions=["only one"])


def test_the_lexical_view_folds_plurals_and_accents():
    """'records' and 'record' are one lexical term (decorte +0.02-0.03 MRR, docs/matching.md)."""
    assert lexical_terms("Maintains batch Records; Café") == [
        "maintain",
        "batch",
        "record",
        "cafe",
        "maintain batch",
        "batch record",
        "record cafe",
    ]
    assert lexical_terms("process analysis glass") == [
        "process",
        "analysis",
        "glass",
        "process analysis",
        "analysis glass",
    ]
