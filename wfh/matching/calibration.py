"""How the thresholds in ``wfh.toml`` [matching] are derived from labelled evidence (reproducible:
``bench/bench_matching_quality.py --calibrate --db BUILD.duckdb`` prints them).

The published report's Appendix A lists the capabilities its tool found no provision for; the
other capabilities of the cycle had provision. On a capability's best similarity:

- ``partial_threshold``: the threshold that best separates "report found provision" from
  "Appendix A" (maximum balanced accuracy; ties -> the higher threshold). Below it: 'none'.
- ``match_threshold``: the first grid value above the best similarity of every Appendix A
  capability, so a 'match' is a capability the report would not have listed as unprovided; between
  the two thresholds ('partial') the report's own decisions are mixed.
- ``tag_threshold``: on the decorte skill-extraction validation sentences (TECH + HOUSE), the
  threshold on the similarity of the top-10 ESCO candidates that maximises F1 of "candidate is a
  gold skill of the sentence".
"""

from __future__ import annotations

import numpy as np

GRID = 0.01


def _grid(values: np.ndarray) -> np.ndarray:
    lo, hi = np.floor(values.min() / GRID) * GRID, np.ceil(values.max() / GRID) * GRID
    return np.round(np.arange(lo, hi + GRID / 2, GRID), 4)


def separating_threshold(best_similarity: np.ndarray, report_matched: np.ndarray) -> tuple[float, float]:
    """(threshold, balanced accuracy) separating report-matched capabilities from Appendix A ones."""
    best, matched = np.asarray(best_similarity, float), np.asarray(report_matched, bool)
    if matched.all() or not matched.any():
        raise ValueError("calibration needs capabilities both with and without provision in the report")
    scored = []
    for t in _grid(best):
        predicted = best >= t
        tpr = (predicted & matched).sum() / matched.sum()
        tnr = (~predicted & ~matched).sum() / (~matched).sum()
        scored.append(((tpr + tnr) / 2, t))
    accuracy, threshold = max(scored)
    return float(threshold), float(accuracy)


def above_all_unmatched(best_similarity: np.ndarray, report_matched: np.ndarray) -> float:
    """First grid value above the best similarity of every Appendix A capability."""
    best, matched = np.asarray(best_similarity, float), np.asarray(report_matched, bool)
    return float(np.round(np.floor(best[~matched].max() / GRID) * GRID + GRID, 4))


def provision_thresholds(best_similarity: np.ndarray, report_matched: np.ndarray) -> dict[str, float]:
    """match_threshold, partial_threshold and the balanced accuracy of the partial cut."""
    partial, accuracy = separating_threshold(best_similarity, report_matched)
    match = max(above_all_unmatched(best_similarity, report_matched), partial)
    return {"match_threshold": match, "partial_threshold": partial, "balanced_accuracy": accuracy}


def tag_threshold(top_scores: np.ndarray, top_is_gold: np.ndarray, gold_total: int) -> tuple[float, float]:
    """(threshold, F1) for tagging: ``top_scores``/``top_is_gold`` are the top-k candidates per query,
    ``gold_total`` the number of gold pairs (recall counts gold pairs outside the top k as missed)."""
    scores, gold = np.asarray(top_scores, float).ravel(), np.asarray(top_is_gold, bool).ravel()
    best = (0.0, float(scores.max()))
    for t in _grid(scores):
        kept = scores >= t
        tp = (kept & gold).sum()
        if not kept.any() or not tp:
            continue
        precision, recall = tp / kept.sum(), tp / gold_total
        f1 = 2 * precision * recall / (precision + recall)
        best = max(best, (f1, t))
    return float(best[1]), float(best[0])
