"""Capabilities against provision on the full similarity: every capability scored against every
candidate statement (duty and skill statements of every standard version), then

- per (capability, standard version): the best statement and its similarity (fit) and the mean of
  its three best statements' similarities (the ranking's evidence, docs/matching.md "Ranking");
- per (capability, statement): every pair at or above the partial threshold, i.e. every statement
  that covers a capability (surplus);
- per (capability, FOP or cycle, standard version): the alignment of the standard as a whole with
  the capability, the FOP or the cycle (cosine of the standard's profile text with its text or the
  cycle context); for a FOP also the occupation alignment: whether the FOP and the standard name the
  same kinds of occupation (their nearest ESCO occupations' ISCO-08 unit groups).

"Covered" is defined once: a similarity with match class 'match' or 'partial' (at or above
``partial_threshold``), see ``docs/matching.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import polars as pl
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from wfh.matching.config import MatchSettings
from wfh.matching.scoring import Candidates, ScoringIndex, fold_plural

_WORD = re.compile(r"[a-z][a-z0-9\-]+")
# Words every statement of a standard uses; sharing them says nothing about the work.
_GENERIC = frozenset(
    {
        "using",
        "use",
        "used",
        "ensure",
        "ensuring",
        "including",
        "appropriate",
        "relevant",
        "work",
        "working",
        "within",
        "required",
        "requirements",
        "able",
        "new",
        "e.g",
        "etc",
        "such",
        "other",
        "others",
        "across",
        "support",
        "supporting",
    }
)


# The columns of the three matching tables this module produces (wfh.matching.step writes them).
BEST_PER_STANDARD = {
    "capability_key": pl.String,
    "standard_key": pl.String,
    "statement_id": pl.String,
    "similarity": pl.Float64,
    "top3_similarity": pl.Float64,
    "match_class": pl.String,
    "shared_terms": pl.String,
}
COVERING_STATEMENTS = {
    "capability_key": pl.String,
    "statement_id": pl.String,
    "similarity": pl.Float64,
    "match_class": pl.String,
}
ALIGNMENT = {
    "subject_kind": pl.String,
    "subject_key": pl.String,
    "cycle_id": pl.String,
    "standard_key": pl.String,
    "alignment": pl.Float64,
    "occupation_alignment": pl.Float64,
    "shared_occupation_groups": pl.String,
}


def content_terms(text: str | None) -> dict[str, str]:
    """stem -> first surface form of the content words of a text (stop words and generic words out)."""
    terms: dict[str, str] = {}
    for word in _WORD.findall((text or "").lower()):
        if len(word) < 3 or word in ENGLISH_STOP_WORDS or word in _GENERIC:
            continue
        terms.setdefault(fold_plural(word), word)
    return terms


@lru_cache(maxsize=1 << 16)
def _terms(text: str | None) -> tuple[tuple[str, str], ...]:
    """content_terms, remembered: every capability is compared with the same statements."""
    return tuple(content_terms(text).items())


def shared_terms(query: str | None, statement: str | None) -> str:
    """The content words a capability and a statement share, in the statement's order ('; ')."""
    query_terms = dict(_terms(query))
    return "; ".join(surface for stem, surface in _terms(statement) if stem in query_terms)


def full_scores(index: ScoringIndex, queries: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
    """Fused similarity of every query against every candidate (queries x candidates); ``vectors``:
    the queries' dense vectors (ScoringIndex.full_scores)."""
    if not queries or not len(index.candidates):
        return np.zeros((len(queries), len(index.candidates)))
    return index.full_scores(queries, vectors)


def best_per_standard(
    scores: np.ndarray, cap_keys: list[str], cap_texts: list[str], candidates: Candidates, settings: MatchSettings
) -> pl.DataFrame:
    """One row per (capability, standard version): the best statement, its similarity, match class
    and the terms it shares with the capability, and ``top3_similarity``: the mean similarity of the
    version's three best statements (of all it has when fewer; a text repeated in one version counts
    once), the evidence the capability ranking uses (the leave-one-out benchmark (a): +0.03 to +0.06
    MRR over the best statement alone)."""
    schema = BEST_PER_STANDARD
    if scores.size == 0:
        return pl.DataFrame(schema=schema)
    standards = np.asarray(candidates.extra["standard_key"], dtype=object)
    order = np.argsort(standards, kind="stable")
    sorted_standards = standards[order]
    starts = np.flatnonzero(np.r_[True, sorted_standards[1:] != sorted_standards[:-1]])
    group_of = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(order)]))
    # the first copy of each text within a version (sorted order): repeats do not count twice in top 3
    sorted_labels = np.asarray([candidates.labels[j].lower() for j in order], dtype=object)
    first_copy = (
        pl.DataFrame({"group": group_of, "text": sorted_labels})
        .select(pl.struct("group", "text").is_first_distinct())
        .to_series()
        .to_numpy()
    )
    rows = {k: [] for k in schema if k != "match_class"}
    ids = candidates.ids
    for q, key in enumerate(cap_keys):
        sorted_scores = scores[q, order]
        best = np.maximum.reduceat(sorted_scores, starts)
        top3 = _top_k_means(np.where(first_copy, sorted_scores, -np.inf), group_of, starts, 3)
        # the first position in each group holding the group's best score
        is_best = sorted_scores == best[group_of]
        first = np.full(len(starts), -1, dtype=np.int64)
        positions = np.flatnonzero(is_best)
        groups = group_of[positions]
        keep = np.r_[True, groups[1:] != groups[:-1]]
        first[groups[keep]] = positions[keep]
        for g, pos in enumerate(first):
            j = order[pos]
            sim = float(best[g])
            rows["capability_key"].append(key)
            rows["standard_key"].append(sorted_standards[starts[g]])
            rows["statement_id"].append(ids[j])
            rows["similarity"].append(sim)
            rows["top3_similarity"].append(float(top3[g]))
            rows["shared_terms"].append(shared_terms(cap_texts[q], candidates.labels[j]))
    frame = pl.DataFrame(rows, schema={k: v for k, v in schema.items() if k != "match_class"})
    return frame.with_columns(match_class=settings.match_class_expr()).select(list(schema))


def _top_k_means(grouped: np.ndarray, group_of: np.ndarray, starts: np.ndarray, k: int) -> np.ndarray:
    """Per group of a group-sorted score vector, the mean of its ``k`` best finite scores."""
    within = np.lexsort((-grouped, group_of))  # by group, best first
    rank = np.arange(len(within)) - starts[group_of[within]]
    keep = (rank < k) & np.isfinite(grouped[within])
    groups = group_of[within][keep]
    sums = np.bincount(groups, weights=grouped[within][keep], minlength=len(starts))
    counts = np.bincount(groups, minlength=len(starts))
    return sums / np.maximum(counts, 1)


def covering_statements(
    scores: np.ndarray, cap_keys: list[str], candidates: Candidates, settings: MatchSettings
) -> pl.DataFrame:
    """Every (capability, statement) whose similarity is at or above the partial threshold."""
    schema = COVERING_STATEMENTS
    if scores.size == 0:
        return pl.DataFrame(schema=schema)
    q_idx, c_idx = np.nonzero(scores >= settings.partial_threshold)
    sims = scores[q_idx, c_idx]
    return (
        pl.DataFrame(
            {
                "capability_key": [cap_keys[q] for q in q_idx],
                "statement_id": [candidates.ids[c] for c in c_idx],
                "similarity": sims.astype(float),
            },
            schema={k: v for k, v in schema.items() if k != "match_class"},
        )
        .with_columns(match_class=settings.match_class_expr())
        .select(list(schema))
    )


def cycle_context(title_vector: np.ndarray, *member_vectors: np.ndarray) -> np.ndarray:
    """The cycle as one vector: the normalised mean of its title's vector and the mean vector of each
    set of its members (the match step: its capabilities, what it asks for, and its FOPs, the roles it
    foresees), an equal share each; an empty set has no share."""
    parts = [title_vector / (np.linalg.norm(title_vector) or 1.0)]
    for vectors in member_vectors:
        if len(vectors):
            mean = vectors.mean(axis=0)
            parts.append(mean / (np.linalg.norm(mean) or 1.0))
    vector = np.mean(parts, axis=0)
    return vector / (np.linalg.norm(vector) or 1.0)


def alignment_rows(
    subject_kind: str,
    subject_keys: list[str],
    cycle_ids: list[str],
    subject_vectors: np.ndarray,
    standard_keys: list[str],
    profile_vectors: np.ndarray,
    occupations: tuple[list[float], list[str | None]] | None = None,
) -> pl.DataFrame:
    """Cosine of each subject (capability, FOP or cycle) with each standard profile, one row per pair;
    ``occupations`` (from :func:`occupation_alignment`, FOPs only) fills the occupation columns."""
    schema = ALIGNMENT
    if not subject_keys or not standard_keys:
        return pl.DataFrame(schema=schema)
    sims = subject_vectors @ profile_vectors.T
    n = len(standard_keys)
    occupation, shared = [None] * sims.size, [None] * sims.size
    if occupations is not None:
        occupation, shared = occupations
    return pl.DataFrame(
        {
            "subject_kind": [subject_kind] * (len(subject_keys) * n),
            "subject_key": np.repeat(np.asarray(subject_keys, dtype=object), n).tolist(),
            "cycle_id": np.repeat(np.asarray(cycle_ids, dtype=object), n).tolist(),
            "standard_key": standard_keys * len(subject_keys),
            "alignment": sims.astype(float).ravel(),
            "occupation_alignment": occupation,
            "shared_occupation_groups": shared,
        },
        schema=schema,
    )


@dataclass(frozen=True)
class OccupationProfiles:
    """Texts described by the kinds of occupation they name: row i is text i's weight on each
    ISCO-08 unit group (``groups``, labels in ``labels``): the fused similarities of its ``top_k``
    nearest ESCO occupations summed per unit group, scaled to unit length."""

    weights: np.ndarray
    groups: list[str]
    labels: list[str]


def occupation_profiles(
    index: ScoringIndex, texts: list[str], top_k: int, vectors: np.ndarray | None = None
) -> OccupationProfiles:
    """:class:`OccupationProfiles` of ``texts`` against the ESCO occupations of ``index`` (its
    candidates carry ``extra['isco_group']`` and ``extra['isco_group_label']``); ``vectors``: the
    texts' dense vectors (ScoringIndex.full_scores)."""
    groups, labels, group_of = unit_groups(index.candidates)
    weights = np.zeros((len(texts), len(groups)))
    for start in range(0, len(texts), 512):
        chunk = None if vectors is None else vectors[start : start + 512]
        scores = index.full_scores(texts[start : start + 512], chunk)
        weights[start : start + 512] = group_weights(scores, group_of, len(groups), top_k)
    return OccupationProfiles(weights=weights, groups=groups, labels=labels)


def role_occupation_profiles(
    index: ScoringIndex,
    titles: list[str],
    texts: list[str],
    top_k: int,
    title_vectors: np.ndarray | None = None,
    text_vectors: np.ndarray | None = None,
) -> OccupationProfiles:
    """:class:`OccupationProfiles` of roles known by a job title and a text (title and description),
    half each (:func:`half_each`): the title names the kind of occupation, as occupation classifications
    index job titles; the description says what the role does. Neither alone is enough: "Head of
    Production" alone is also a film post-production supervisor, and a description full of GMP and
    quality systems reads as a manager's whatever the role. ``title_vectors`` and ``text_vectors``: their
    dense vectors (ScoringIndex.full_scores)."""
    by_title = occupation_profiles(index, titles, top_k, title_vectors)
    by_text = occupation_profiles(index, texts, top_k, text_vectors)
    return OccupationProfiles(
        weights=half_each(by_title.weights, by_text.weights), groups=by_text.groups, labels=by_text.labels
    )


def half_each(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Rows of two unit-length weight matrices summed (an equal say each) and scaled to unit length."""
    total = first + second
    return total / (np.linalg.norm(total, axis=1, keepdims=True) + 1e-12)


def unit_groups(occupations: Candidates) -> tuple[list[str], list[str], np.ndarray]:
    """The ISCO-08 unit groups of ESCO occupations: sorted codes, their labels, and each
    occupation's column among them."""
    label_of = dict(zip(occupations.extra["isco_group"], occupations.extra["isco_group_label"], strict=True))
    groups = sorted(label_of)
    column = {g: j for j, g in enumerate(groups)}
    group_of = np.asarray([column[g] for g in occupations.extra["isco_group"]], dtype=np.int64)
    return groups, [label_of[g] or g for g in groups], group_of


def group_weights(scores: np.ndarray, group_of: np.ndarray, groups: int, top_k: int) -> np.ndarray:
    """Rows of ``scores`` (texts x occupations) as unit-length weights per unit group: the scores
    (negative ones as 0) of each row's ``top_k`` best occupations summed per group."""
    weights = np.zeros((len(scores), groups))
    k = min(top_k, scores.shape[1])
    if not len(scores) or not k:
        return weights
    nearest = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    rows = np.arange(len(scores))[:, None]
    np.add.at(weights, (rows, group_of[nearest]), np.clip(scores[rows, nearest], 0, None))
    return weights / (np.linalg.norm(weights, axis=1, keepdims=True) + 1e-12)


def occupation_alignment(
    subjects: OccupationProfiles, standards: OccupationProfiles, shown: int = 2
) -> tuple[list[float], list[str | None]]:
    """Cosine of each subject's and each standard's occupation profiles (subject-major, as
    :func:`alignment_rows` orders its rows) and the ``shown`` unit groups that contribute most to it
    ('; '-separated labels, None when they share none)."""
    if subjects.groups != standards.groups:
        raise ValueError("occupation profiles over different ISCO unit groups cannot be compared")
    cosine = subjects.weights @ standards.weights.T
    shared: list[str | None] = []
    for subject in subjects.weights:
        products = standards.weights * subject[None, :]
        top = np.argsort(-products, axis=1)[:, :shown]
        for row, columns in zip(products, top, strict=True):
            names = [standards.labels[j] for j in columns if row[j] > 0]
            shared.append("; ".join(names) or None)
    return cosine.astype(float).ravel().tolist(), shared
