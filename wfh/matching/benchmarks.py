"""Loaders and metrics for the external matching benchmarks (``$WFH_MIRROR/benchmarks``).

- decorte-skill-extraction (TECH, HOUSE validation): job-ad sentence -> ESCO skill; the target
  space is the 13,896 ESCO v1.1.0 preferred labels of ``skills_en_label.txt``. Our ESCO is v1.1.1:
  a label is joined to the v1.1.1 skill with that preferred label, else to the skill that has it
  as an alternative label (108 labels were renamed), so that fused views (alternative labels,
  description) can be used; a label with no v1.1.1 skill keeps its label only.
- jobbert-title-normalization (validation titles): vacancy title -> ESCO occupation; targets are
  the 3,007 ESCO v1.1.1 occupations (the paper used the 2,942 of v1.0.5).

Metrics follow the benchmark README: MRR (reciprocal rank of the first relevant target) and
R-Precision@k (relevant targets in the top k divided by min(k, number relevant)), averaged over
queries.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from wfh.matching.scoring import Candidates

NOT_A_SKILL = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}


def mirror() -> Path:
    """The local data mirror (``WFH_MIRROR``, default ``../shared/data`` beside the checkout)."""
    value = os.environ.get("WFH_MIRROR")
    if value:
        return Path(value)
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def split_lines(text: str | None) -> list[str]:
    """ESCO keeps alternative labels as newline-separated text."""
    return [part.strip() for part in (text or "").split("\n") if part.strip()]


def esco_skills(root: Path | None = None) -> pl.DataFrame:
    root = root or mirror()
    return pl.read_csv(root / "esco" / "skills_en.csv", infer_schema=False)


def esco_occupations(root: Path | None = None) -> pl.DataFrame:
    root = root or mirror()
    return pl.read_csv(root / "esco" / "occupations_en.csv", infer_schema=False)


def esco_candidates(frame: pl.DataFrame) -> Candidates:
    """ESCO skills or occupations as candidates: preferred label, alternative labels, description."""
    return Candidates(
        ids=frame["conceptUri"].to_list(),
        labels=frame["preferredLabel"].to_list(),
        alternatives=[split_lines(t) for t in frame["altLabels"].to_list()],
        descriptions=frame["description"].to_list(),
    )


def decorte_candidates(root: Path | None = None) -> Candidates:
    """The 13,896 benchmark labels, each enriched from its ESCO v1.1.1 skill where one exists."""
    root = root or mirror()
    labels = (root / "benchmarks" / "decorte-skill-extraction" / "skills_en_label.txt").read_text(
        encoding="utf-8").split("\n")
    skills = esco_skills(root)
    by_label = {row["preferredLabel"]: row for row in skills.iter_rows(named=True)}
    by_alt: dict[str, dict] = {}
    for row in skills.iter_rows(named=True):
        for alt in split_lines(row["altLabels"]):
            by_alt.setdefault(alt, row)
    alternatives, descriptions = [], []
    for label in labels:
        row = by_label.get(label) or by_alt.get(label)
        alternatives.append(split_lines(row["altLabels"]) if row else [])
        descriptions.append(row["description"] if row else None)
    return Candidates(ids=labels, labels=labels, alternatives=alternatives, descriptions=descriptions)


@dataclass
class RankingTask:
    """Queries with their relevant candidate ids."""

    name: str
    queries: list[str]
    relevant: list[set[str]]


def decorte_task(split: str, root: Path | None = None) -> RankingTask:
    """Validation split ``tech`` or ``house``: one query per sentence with at least one ESCO label."""
    root = root or mirror()
    frame = pl.read_csv(root / "benchmarks" / "decorte-skill-extraction" / f"{split}_validation_annotations.csv",
                        infer_schema=False)
    frame = frame.filter(pl.col("label").is_not_null() & ~pl.col("label").is_in(list(NOT_A_SKILL)))
    grouped = frame.group_by("sentence", maintain_order=True).agg(pl.col("label").unique())
    return RankingTask(f"decorte-{split}", grouped["sentence"].to_list(),
                       [set(labels) for labels in grouped["label"].to_list()])


def jobbert_task(sample_every: int = 1, root: Path | None = None) -> RankingTask:
    """Validation titles (every ``sample_every``-th row, in file order) -> ESCO occupation URI."""
    root = root or mirror()
    frame = pl.read_csv(root / "benchmarks" / "jobbert-title-normalization" / "titles.csv")
    frame = frame.gather_every(sample_every)
    return RankingTask("jobbert", frame["vacancyTitle"].to_list(),
                       [{uri} for uri in frame["conceptUri"].to_list()])


def ranking_metrics(scores: np.ndarray, candidate_ids: list[str], relevant: list[set[str]],
                    ks: tuple[int, ...] = (1, 5, 10)) -> dict[str, float]:
    """MRR and RP@k of a score matrix (queries x candidates)."""
    index = {cid: i for i, cid in enumerate(candidate_ids)}
    reciprocal, rp = [], {k: [] for k in ks}
    for row, gold in zip(scores, relevant):
        gold_idx = np.array([index[g] for g in gold if g in index], dtype=np.int64)
        if gold_idx.size == 0:
            reciprocal.append(0.0)
            for k in ks:
                rp[k].append(0.0)
            continue
        # rank of each gold item = 1 + number of candidates scoring strictly higher
        ranks = np.array([(row > row[g]).sum() + 1 for g in gold_idx])
        reciprocal.append(1.0 / ranks.min())
        for k in ks:
            rp[k].append((ranks <= k).sum() / min(k, gold_idx.size))
    out = {"queries": float(len(relevant)), "MRR": float(np.mean(reciprocal))}
    out.update({f"RP@{k}": float(np.mean(v)) for k, v in rp.items()})
    return out
