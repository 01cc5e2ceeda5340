"""The one scoring function of the cube: how similar a query text is to each candidate.

A candidate has up to three *views* embedded with the same model:

- ``label``        its main text (a duty statement, an ESCO preferred label, an O*NET task, ...)
- ``alternatives`` other names of the same concept (ESCO alternative labels, O*NET alternate titles);
                   a query's similarity to this view is the best over the alternatives
- ``description``  a longer explanation (ESCO / O*NET descriptions)

plus a *lexical* view (TF-IDF over label and alternatives, word uni- and bigrams with plurals
folded, sublinear tf).
The score is a weighted mean of the cosine similarities of the views the candidate has (weights
from ``[matching.scoring]`` in ``wfh.toml``, a candidate set's own table ``[matching.scoring.<target>]``
overriding some of them, renormalised per candidate over the views it has), so
it stays in [-1, 1] and a candidate with only a label scores its plain cosine similarity when the
lexical weight is 0. The same function ranks capabilities against provision statements, tags ESCO
skills, links O*NET tasks and occupations, answers ``wfh match`` and runs in the benchmarks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from wfh.embeddings import EmbeddingStore, normalise_text, text_sha256
from wfh.settings import SettingsError, config, settings_of

QUERY_CHUNK = 512
VECTOR_VIEWS = ("label_vectors", "alt_vectors", "desc_vectors")


@dataclass(frozen=True)
class ScoreWeights:
    """Weights of the views in the fused score (see the module docstring).

    No defaults: the weights live in ``wfh.toml`` ``[matching.scoring]`` only (:meth:`from_config`).
    """

    label: float
    alternatives: float
    description: float
    lexical: float

    @classmethod
    def from_config(cls, **overrides) -> ScoreWeights:
        names = [k for k in ("label", "alternatives", "description", "lexical") if k not in overrides]
        known = {k: float(v) for k, v in settings_of("matching.scoring", names).items()}
        return cls(**known, **overrides)

    @classmethod
    def for_target(cls, target: str) -> ScoreWeights:
        """The weights for one candidate set (``esco-occupations``, ``provision``, ...):
        ``[matching.scoring]``, with the keys of ``[matching.scoring.<target>]`` in their place when
        that table exists."""
        own = config("matching.scoring").get(target, {})
        unknown = sorted(set(own) - {"label", "alternatives", "description", "lexical"})
        if unknown:
            raise SettingsError(f"wfh.toml [matching.scoring.{target}]: unknown weights {', '.join(unknown)}")
        return cls.from_config(**{k: float(v) for k, v in own.items()})

    @classmethod
    def label_only(cls) -> ScoreWeights:
        """The off-the-shelf baseline: cosine similarity to the label alone."""
        return cls(1.0, 0.0, 0.0, 0.0)


@dataclass
class Candidates:
    """The texts a query is ranked against (one row per candidate)."""

    ids: list[str]
    labels: list[str]
    alternatives: list[list[str]] | None = None
    descriptions: list[str | None] | None = None
    extra: dict[str, list] = field(default_factory=dict)  # columns carried to the output

    def __post_init__(self) -> None:
        n = len(self.ids)
        if len(self.labels) != n:
            raise ValueError("Candidates: ids and labels differ in length")
        for name in ("alternatives", "descriptions"):
            value = getattr(self, name)
            if value is not None and len(value) != n:
                raise ValueError(f"Candidates: {name} has {len(value)} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.ids)

    def where(self, keep: list[bool]) -> Candidates:
        """The candidates where ``keep`` is true (every column kept in step)."""
        pick = [i for i, k in enumerate(keep) if k]
        return Candidates(
            ids=[self.ids[i] for i in pick],
            labels=[self.labels[i] for i in pick],
            alternatives=None if self.alternatives is None else [self.alternatives[i] for i in pick],
            descriptions=None if self.descriptions is None else [self.descriptions[i] for i in pick],
            extra={c: [v[i] for i in pick] for c, v in self.extra.items()},
        )


class ScoringIndex:
    """Candidates embedded once; scores any number of queries against them."""

    def __init__(self, candidates: Candidates, store: EmbeddingStore, weights: ScoreWeights | None = None):
        self.candidates = candidates
        self.weights = weights or ScoreWeights.from_config()
        self.store = store
        n = len(candidates)
        w = self.weights
        self.label_vectors = store.embed(candidates.labels)
        self._view_texts = {"label_vectors": candidates.labels}  # what each view embedded (pickling)
        self._view_weight = np.full(n, w.label, dtype=np.float32)

        self.alt_vectors = self.alt_owner = None
        self._has_alt = np.zeros(n, dtype=bool)
        if w.alternatives > 0 and candidates.alternatives is not None:
            owners, texts = [], []
            for i, alts in enumerate(candidates.alternatives):
                for text in dict.fromkeys(a for a in (alts or []) if normalise_text(a)):
                    owners.append(i)
                    texts.append(text)
            if texts:
                self.alt_vectors = store.embed(texts)
                self._view_texts["alt_vectors"] = texts
                self.alt_owner = np.asarray(owners, dtype=np.int64)
                self._has_alt[self.alt_owner] = True
                self._alt_starts = np.flatnonzero(np.r_[True, np.diff(self.alt_owner) != 0])
                self._alt_targets = self.alt_owner[self._alt_starts]
                self._view_weight += w.alternatives * self._has_alt

        self.desc_vectors = None
        self._has_desc = np.zeros(n, dtype=bool)
        if w.description > 0 and candidates.descriptions is not None:
            present = [i for i, d in enumerate(candidates.descriptions) if normalise_text(d)]
            if present:
                self._has_desc[present] = True
                self.desc_vectors = np.zeros((n, self.label_vectors.shape[1]), dtype=np.float32)
                self.desc_vectors[present] = store.embed([candidates.descriptions[i] for i in present])
                self._view_texts["desc_vectors"] = [candidates.descriptions[i] for i in present]
                self._view_weight += w.description * self._has_desc

        self.vectorizer = self.lexical_matrix = None
        if w.lexical > 0 and n:
            from sklearn.feature_extraction.text import TfidfVectorizer

            alts = candidates.alternatives or [[] for _ in range(n)]
            lexical_texts = [
                " ; ".join([normalise_text(lbl), *(normalise_text(a) for a in (alt or []))])
                for lbl, alt in zip(candidates.labels, alts, strict=False)
            ]
            self.vectorizer = TfidfVectorizer(analyzer=lexical_terms, sublinear_tf=True, min_df=1)
            self.lexical_matrix = self.vectorizer.fit_transform(lexical_texts).T.tocsr()
            self._view_weight += w.lexical

    # --- kept between runs (wfh.matching.step): pickled without the store and without vectors --------
    # A pickled index holds its fitted lexical model and the cache keys of its views' texts; its
    # vectors stay in the embedding cache only, and attach() reads them back.

    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in ("store", "_view_texts", *VECTOR_VIEWS)}
        state["_view_keys"] = getattr(self, "_view_keys", None) or {
            name: [text_sha256(normalise_text(t)) for t in texts] for name, texts in self._view_texts.items()
        }
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.store = self.label_vectors = self.alt_vectors = self.desc_vectors = None

    def attach(self, store: EmbeddingStore) -> bool:
        """Give an unpickled index its store and read its vectors back from the store's cache;
        false when the cache lacks any of them (the index must then be built again)."""
        self.store = store
        for name, keys in self._view_keys.items():
            vectors = store.vectors_of(keys)
            if vectors is None:
                return False
            if name == "desc_vectors":
                full = np.zeros((len(self.candidates), vectors.shape[1]), dtype=np.float32)
                full[np.flatnonzero(self._has_desc)] = vectors
                vectors = full
            setattr(self, name, vectors)
        return True

    def score_vectors(self, query_vectors: np.ndarray, query_texts: Sequence[str]) -> np.ndarray:
        """Fused similarity, shape (queries, candidates), for already embedded queries."""
        w = self.weights
        total = w.label * (query_vectors @ self.label_vectors.T)
        if self.alt_vectors is not None:
            alt = query_vectors @ self.alt_vectors.T
            best = np.zeros_like(total)
            best[:, self._alt_targets] = np.maximum.reduceat(alt, self._alt_starts, axis=1)
            total += w.alternatives * best
        if self.desc_vectors is not None:
            total += w.description * (query_vectors @ self.desc_vectors.T)
        if self.lexical_matrix is not None:
            q = self.vectorizer.transform([normalise_text(t) for t in query_texts])
            total += w.lexical * (q @ self.lexical_matrix).toarray()
        # A candidate with none of the weighted views scores 0.
        return total / np.where(self._view_weight > 0, self._view_weight, 1.0)

    def top_k(self, queries: Sequence[str], k: int, vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Indices and scores of the ``k`` best candidates per query, best first (``vectors``: the
        queries' dense vectors when the caller reads them otherwise than the store embeds them)."""
        k = min(k, len(self.candidates))
        vectors = self.store.embed(queries) if vectors is None else vectors
        all_idx = np.zeros((len(queries), k), dtype=np.int64)
        all_sim = np.zeros((len(queries), k), dtype=np.float64)
        for start in range(0, len(queries), QUERY_CHUNK):
            stop = start + QUERY_CHUNK
            scores = self.score_vectors(vectors[start:stop], queries[start:stop])
            idx, sim = top_k_rows(scores, k)
            all_idx[start:stop], all_sim[start:stop] = idx, sim
        return all_idx, all_sim

    def full_scores(self, queries: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """All scores (queries x candidates); ``vectors`` as in :meth:`top_k`."""
        vectors = self.store.embed(queries) if vectors is None else vectors
        return (
            np.vstack(
                [
                    self.score_vectors(vectors[s : s + QUERY_CHUNK], queries[s : s + QUERY_CHUNK])
                    for s in range(0, len(queries), QUERY_CHUNK)
                ]
            )
            if len(queries)
            else np.zeros((0, len(self.candidates)))
        )


_WORD = re.compile(r"(?u)\b\w\w+\b")


def fold_plural(word: str) -> str:
    """A light plural folding so 'records' and 'record', 'batches' and 'batch' are one term."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def lexical_terms(text: str) -> list[str]:
    """The terms of the lexical view: the words of a text (lower case, accents stripped, plurals
    folded) and each pair of neighbouring words. Folding plurals: decorte TECH MRR 0.680 -> 0.712,
    HOUSE 0.563 -> 0.582; jobbert and the leave-one-out benchmarks within noise (docs/matching.md)."""
    from sklearn.feature_extraction.text import strip_accents_unicode

    words = [fold_plural(w) for w in _WORD.findall(strip_accents_unicode(text.lower()))]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def candidate_texts(candidates: Candidates, weights: ScoreWeights) -> list[str]:
    """Every text a :class:`ScoringIndex` embeds for these candidates (to embed them all in one pass)."""
    texts = list(candidates.labels)
    if weights.alternatives > 0 and candidates.alternatives is not None:
        texts += [a for alts in candidates.alternatives for a in (alts or [])]
    if weights.description > 0 and candidates.descriptions is not None:
        texts += [d for d in candidates.descriptions if d]
    return texts


def top_k_rows(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the ``k`` largest entries per row, best first; ties are
    broken by the lower index so results are deterministic."""
    k = min(k, scores.shape[1])
    if k == 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64), np.zeros((scores.shape[0], 0))
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part.sort(axis=1)
    values = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    idx = np.take_along_axis(part, order, axis=1)
    return idx, np.take_along_axis(scores, idx, axis=1).astype(np.float64)
