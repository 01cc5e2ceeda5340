"""Matching quality on external benchmarks: the label-only baseline against our scoring, same run.

    python bench/bench_matching_quality.py [--cache PATH] [--jobbert-every N] [--ablations]

- decorte-skill-extraction TECH and HOUSE validation: query = sentence, targets = all 13,896 ESCO
  skill labels; MRR and RP@1/5/10 (the protocol of the benchmark README).
- jobbert-title-normalization validation: title -> ESCO occupation (3,007 v1.1.1 occupations); MRR
  and RP@1/5/10 over every title (``--jobbert-every N`` takes every N-th title instead).
- with ``--db BUILD.duckdb``, derived from it: the same titles -> O*NET-SOC occupations, the right
  answers being the official crosswalk partners of the title's ESCO occupation.

``baseline`` is off-the-shelf all-MiniLM-L6-v2 on the preferred label alone; ``ours`` is the
scoring of ``wfh.toml`` ``[matching.scoring]`` (and each target's own table) with the embedding
settings of ``[matching]``.
``--ablations`` adds rows that need no new embeddings (lexical alone, other lexical weights);
``--expensive`` adds the ones that embed more (sequence length 256, int8, alternative labels and
descriptions as dense views). ``--calibrate`` prints the thresholds derived from labelled
evidence (``wfh.matching.calibration``): the ESCO tag threshold from the decorte validation
sentences and, with ``--db BUILD.duckdb`` (a warehouse after the match step), the provision
match/partial thresholds from the report's Appendix A. Embeddings are cached in ``--cache`` (a DuckDB file; default
``/tmp/wfh-bench/bench.duckdb``) so a re-run only scores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

from wfh.embeddings import EmbeddingSettings, EmbeddingStore
from wfh.matching import benchmarks as bm
from wfh.matching import targets as match_targets
from wfh.matching.scoring import ScoreWeights, ScoringIndex
from wfh.settings import set_environment_defaults

BASELINE = "baseline (label only)"


def configurations(ablations: bool, expensive: bool) -> dict[str, tuple[EmbeddingSettings, ScoreWeights | None]]:
    """Named (embedding settings, score weights) pairs; every one runs on the same tasks. Weights
    None = each target's own (``[matching.scoring]`` and ``[matching.scoring.<target>]``), as the cube."""
    embedding = EmbeddingSettings.from_config()
    w = ScoreWeights.from_config()
    # Off-the-shelf: cosine to the preferred label. The queries and labels here are far shorter than
    # 128 tokens, so the shipped max_seq_length 256 gives the same vectors (checked by --expensive).
    configs = {BASELINE: (embedding, ScoreWeights.label_only())}
    if ablations:
        configs.update(
            {
                "lexical only (TF-IDF label+alternatives)": (embedding, ScoreWeights(1e-6, 0, 0, 1.0)),
                "label + lexical 0.3": (embedding, ScoreWeights(w.label, 0, 0, 0.3)),
                "label + lexical 2.0": (embedding, ScoreWeights(w.label, 0, 0, 2.0)),
            }
        )
    if expensive:
        configs.update(
            {
                "baseline, seq 256": (EmbeddingSettings.from_config(max_seq_length=256), ScoreWeights.label_only()),
                "baseline, int8": (
                    EmbeddingSettings.from_config(max_seq_length=embedding.max_seq_length, quantized=True),
                    ScoreWeights.label_only(),
                ),
                "ours + alternatives view 0.5": (embedding, ScoreWeights(w.label, 0.5, w.description, w.lexical)),
                "ours + description view 0.5": (embedding, ScoreWeights(w.label, w.alternatives, 0.5, w.lexical)),
            }
        )
    if ablations:
        # [matching.scoring] for every target, without the candidate sets' own tables.
        configs["ours, shared weights only"] = (embedding, w)
    configs["ours"] = (embedding, None)  # each target's own weights (ScoreWeights.for_target)
    return configs


def calibrate(args, skill_targets, decorte_tasks) -> None:
    """Print the thresholds that labelled evidence supports (see wfh/matching/calibration.py)."""
    import numpy as np

    from wfh.matching import calibration
    from wfh.matching.scoring import top_k_rows

    store = EmbeddingStore(args.cache, settings=EmbeddingSettings.from_config())
    index = ScoringIndex(skill_targets, store, ScoreWeights.from_config())
    scores, gold, gold_total = [], [], 0
    for task in decorte_tasks:
        idx, sim = top_k_rows(index.full_scores(task.queries), 10)
        for row_idx, row_sim, relevant in zip(idx, sim, task.relevant, strict=False):
            scores.append(row_sim)
            gold.append([skill_targets.ids[j] in relevant for j in row_idx])
            gold_total += len(relevant)
    threshold, f1 = calibration.tag_threshold(np.array(scores), np.array(gold), gold_total)
    print(f"tag_threshold (decorte TECH+HOUSE validation, top-10, max F1): {threshold:.2f} (F1 {f1:.3f})")
    if args.db:
        con = duckdb.connect(str(args.db), read_only=True)
        try:
            best = con.sql("""select c.capability_key, c.similarity, not k.in_appendix_a as report_matched
                from matching.capability_provision_candidates c
                join intermediate.int_capabilities k using (capability_key) where c.rank = 1""").pl()
        finally:
            con.close()
        sims, matched = best["similarity"].to_numpy(), best["report_matched"].to_numpy()
        found = calibration.provision_thresholds(sims, matched)
        print(f"Appendix A: {len(sims)} capabilities, {int(matched.sum())} with provision in the report")
        print(
            f"partial_threshold (max balanced accuracy): {found['partial_threshold']:.2f} "
            f"(balanced accuracy {found['balanced_accuracy']:.3f})"
        )
        print(f"match_threshold (above every Appendix A capability): {found['match_threshold']:.2f}")


def main(argv: list[str] | None = None) -> int:
    set_environment_defaults()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/wfh-bench/bench.duckdb"))
    parser.add_argument("--jobbert-every", type=int, default=1)
    parser.add_argument("--ablations", action="store_true", help="cheap ablations (no new embeddings)")
    parser.add_argument(
        "--expensive",
        action="store_true",
        help="ablations that embed more: seq 256, int8, alternative labels, descriptions",
    )
    parser.add_argument("--skip-jobbert", action="store_true")
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--db", type=Path, help="built warehouse for the provision-threshold calibration")
    args = parser.parse_args(argv)
    args.cache.parent.mkdir(parents=True, exist_ok=True)

    skill_targets = bm.decorte_candidates()
    occupation_targets = bm.esco_candidates(bm.esco_occupations())
    tasks = [
        (bm.decorte_task("tech"), skill_targets, "esco-skills"),
        (bm.decorte_task("house"), skill_targets, "esco-skills"),
    ]
    if not args.skip_jobbert:
        tasks.append((bm.jobbert_task(args.jobbert_every), occupation_targets, "esco-occupations"))
        if args.db:
            # derived: the same titles -> O*NET occupations, the crosswalk partners of the answer
            with duckdb.connect(str(args.db), read_only=True) as con:
                onet_task = bm.jobbert_onet_task(con, args.jobbert_every)
                onet_targets = match_targets.onet_occupations(con)
            tasks.append((onet_task, onet_targets, "onet-occupations"))

    if args.calibrate:
        calibrate(args, skill_targets, [task for task, _, _ in tasks[:2]])

    rows = []
    for name, (settings, weights) in configurations(args.ablations, args.expensive).items():
        store = EmbeddingStore(args.cache, settings=settings)
        indexes = {}
        for task, targets, target_name in tasks:
            started = time.perf_counter()
            own = weights or ScoreWeights.for_target(target_name)
            key = (id(targets), own)
            if key not in indexes:
                indexes[key] = ScoringIndex(targets, store, own)
            scores = indexes[key].full_scores(task.queries)
            metrics = bm.ranking_metrics(scores, targets.ids, task.relevant)
            rows.append({"config": name, "task": task.name, **metrics, "seconds": time.perf_counter() - started})
            print(
                f"{name:42s} {task.name:14s} n={int(metrics['queries']):5d} MRR={metrics['MRR']:.4f} "
                f"RP@1={metrics['RP@1']:.4f} RP@5={metrics['RP@5']:.4f} RP@10={metrics['RP@10']:.4f}",
                flush=True,
            )

    print("\nSummary (MRR; ratio = ours / baseline)")
    by = {(r["config"], r["task"]): r for r in rows}
    base = BASELINE
    for task, _, _ in tasks:
        b, o = by[(base, task.name)], by[("ours", task.name)]
        print(
            f"  {task.name:14s} baseline MRR {b['MRR']:.4f}  ours MRR {o['MRR']:.4f}  "
            f"ratio {o['MRR'] / b['MRR']:.3f}  |  RP@5 {b['RP@5']:.4f} -> {o['RP@5']:.4f}  "
            f"RP@10 {b['RP@10']:.4f} -> {o['RP@10']:.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
