"""Embedding and matching speed on this machine, each against a baseline in the same run.

    python bench/bench_embedding_speed.py [--texts N] [--db BUILD.duckdb] [--skip-variants]

1. Embedding throughput (input texts/s) on a real sample: duty statements of every standard version
   (duplicates across versions included, as in the warehouse) plus ESCO skill labels and
   descriptions. Baseline: plain sentence-transformers ``encode`` (batch 32, max_seq_length 256).
   Ours: ``EmbeddingStore.embed`` (normalise, deduplicate, sort by length, batch 64,
   max_seq_length and runtime from wfh.toml) with an empty in-memory cache. Variants isolate each
   choice (runtime torch or ONNX Runtime, threads, batch size, sequence length, int8 dynamic
   quantisation, dedupe) and report the quality cost as the mean cosine to the baseline vectors and
   the top-10 neighbour agreement (share of each text's 10 nearest neighbours in the sample that
   both embeddings find).
2. Matching throughput (candidate pairs/s): baseline brute-force numpy (a dot product per query and a
   full argsort); ours ``ScoringIndex.top_k`` (one matrix product per query block, argpartition).
3. With ``--db``: cold and warm (all cached) runs of the full match step on a copy of a built
   warehouse (the embedding cache emptied first), so the embedding step's full-data cost is measured.
Timings share 2 cores with whatever else runs: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from wfh.embeddings import EmbeddingSettings, EmbeddingStore, load_model, model_path
from wfh.matching import benchmarks as bm
from wfh.matching.scoring import Candidates, ScoreWeights, ScoringIndex
from wfh.settings import set_environment_defaults


def sample_texts(n: int) -> list[str]:
    """A deterministic real sample: 60% duty statements (file order), 25% ESCO labels, 15% descriptions."""
    root = bm.mirror()
    with gzip.open(root / "skills_england" / "duties_flat.csv.gz", "rb") as handle:
        duties = pl.read_csv(handle.read(), infer_schema=False)["dutyDetail"].drop_nulls().to_list()
    skills = bm.esco_skills(root)
    labels = skills["preferredLabel"].to_list()
    descriptions = skills["description"].drop_nulls().to_list()
    n_duty, n_label = int(n * 0.6), int(n * 0.25)
    step = max(1, len(labels) // n_label)
    return duties[:n_duty] + labels[::step][:n_label] + descriptions[::step][: n - n_duty - n_label]


@cache
def baseline_model():
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_path()), device="cpu")  # max_seq_length 256 as shipped


def baseline_encode(texts: list[str]) -> np.ndarray:
    return baseline_model().encode(
        texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def neighbour_overlap(a: np.ndarray, b: np.ndarray, k: int = 10, queries: int = 300) -> float:
    """Share of the top-k neighbours (among the sample itself) that two embeddings agree on."""
    q = np.arange(min(queries, len(a)))
    top_a = np.argsort(-(a[q] @ a.T), axis=1)[:, 1 : k + 1]
    top_b = np.argsort(-(b[q] @ b.T), axis=1)[:, 1 : k + 1]
    return float(np.mean([len(set(x) & set(y)) / k for x, y in zip(top_a, top_b, strict=False)]))


def embedding_section(texts: list[str], skip_variants: bool, rounds: int, only: str | None = None) -> None:
    """Each variant is timed right after a baseline run, ``rounds`` times; the median of the
    per-round speed-ups is reported, which stays meaningful while other jobs share the cores."""
    import os

    import torch

    from wfh.embeddings import encode, normalise_text

    print(
        f"1. Embedding: {len(texts)} texts, {len(set(texts))} distinct, "
        f"mean {np.mean([len(t) for t in texts]):.0f} characters; torch threads {torch.get_num_threads()}, "
        f"{rounds} rounds"
    )
    ours_settings = EmbeddingSettings.from_config()
    seq = ours_settings.max_seq_length
    variants = {"ours (wfh.toml)": (ours_settings, True)}
    if not skip_variants:
        variants.update(
            {
                "ours without dedupe": (ours_settings, False),
                "seq 256 (shipped), dedupe": (EmbeddingSettings.from_config(max_seq_length=256), True),
                "seq 64": (EmbeddingSettings.from_config(max_seq_length=64), True),
                "batch 16": (EmbeddingSettings.from_config(max_seq_length=seq, batch_size=16), True),
                "batch 128": (EmbeddingSettings.from_config(max_seq_length=seq, batch_size=128), True),
                "1 torch thread": (EmbeddingSettings.from_config(max_seq_length=seq, threads=1), True),
                "torch int8 dynamic (per-tensor)": (
                    EmbeddingSettings.from_config(max_seq_length=seq, quantized=True),
                    True,
                ),
                "torch fp32, dedupe": (EmbeddingSettings.from_config(max_seq_length=seq, runtime="torch"), True),
                "onnx fp32, dedupe": (EmbeddingSettings.from_config(max_seq_length=seq, runtime="onnx"), True),
                "onnx int8 per-channel, dedupe": (
                    EmbeddingSettings.from_config(max_seq_length=seq, runtime="onnx", quantized=True),
                    True,
                ),
                "onnx fp32, batch 32": (
                    EmbeddingSettings.from_config(max_seq_length=seq, runtime="onnx", batch_size=32),
                    True,
                ),
                "onnx fp32, batch 128": (
                    EmbeddingSettings.from_config(max_seq_length=seq, runtime="onnx", batch_size=128),
                    True,
                ),
            }
        )
    if only:
        variants = {name: v for name, v in variants.items() if name.startswith("ours (") or re.search(only, name)}
    for settings, _ in variants.values():  # load (and on first use export) every model outside the timings
        load_model(settings.max_seq_length, settings.quantized, settings.threads, settings.runtime)
    cores = os.cpu_count() or 1
    base = baseline_encode(texts)
    speedups: dict[str, list[float]] = {name: [] for name in variants}
    rates: dict[str, list[float]] = {name: [] for name in variants}
    base_rates: list[float] = []
    quality: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        for name, (settings, dedupe) in variants.items():
            torch.set_num_threads(cores)
            _, base_s = timed(baseline_encode, texts)
            torch.set_num_threads(settings.threads or cores)
            if dedupe:
                vectors, seconds = timed(EmbeddingStore(None, settings=settings, progress=False).embed, texts)
            else:
                vectors, seconds = timed(encode, [normalise_text(t) for t in texts], settings)
            torch.set_num_threads(cores)
            base_rates.append(len(texts) / base_s)
            rates[name].append(len(texts) / seconds)
            speedups[name].append(base_s / seconds)
            quality[name] = (float(np.mean(np.sum(vectors * base, axis=1))), neighbour_overlap(base, vectors))
    print(f"   baseline  plain encode (batch 32, seq 256): median {np.median(base_rates):8.1f} texts/s")
    today = EmbeddingStore(
        None, settings=EmbeddingSettings.from_config(max_seq_length=seq, runtime="torch"), progress=False
    ).embed(texts)
    ours = EmbeddingStore(None, settings=ours_settings, progress=False).embed(texts)
    print(
        f"   ours ({ours_settings.model_id}) vs the torch vectors of today's cache "
        f"({EmbeddingSettings.from_config(max_seq_length=seq).model_id}): mean cosine "
        f"{float(np.mean(np.sum(ours * today, axis=1))):.4f}, top-10 neighbour agreement "
        f"{neighbour_overlap(today, ours):.3f}"
    )
    for name in variants:
        cosine, overlap = quality[name]
        print(
            f"   {name:28s}: median {np.median(rates[name]):8.1f} texts/s  median speed-up "
            f"x{np.median(speedups[name]):5.2f} (rounds: {', '.join(f'{x:.2f}' for x in speedups[name])})  "
            f"mean cosine to baseline {cosine:.4f}  top-10 overlap {overlap:.3f}",
            flush=True,
        )


def matching_section(n_queries: int) -> None:
    root = bm.mirror()
    skills = bm.esco_skills(root)
    candidates = Candidates(ids=skills["conceptUri"].to_list(), labels=skills["preferredLabel"].to_list())
    store = EmbeddingStore(None, settings=EmbeddingSettings.from_config(), progress=False)
    index = ScoringIndex(candidates, store, ScoreWeights.label_only())
    with gzip.open(root / "skills_england" / "duties_flat.csv.gz", "rb") as handle:
        queries = (
            pl.read_csv(handle.read(), infer_schema=False)["dutyDetail"]
            .drop_nulls()
            .unique(maintain_order=True)
            .to_list()[:n_queries]
        )
    vectors = store.embed(queries)  # embedding is timed in section 1; here only the ranking
    pairs = len(queries) * len(candidates)

    def brute_force():
        out = []
        for v in vectors:
            scores = index.label_vectors @ v
            out.append(np.argsort(-scores)[:10])
        return np.array(out)

    base_idx, base_s = timed(brute_force)
    (ours_idx, _), ours_s = timed(index.top_k, queries, 10)
    agree = float(np.mean([set(a) == set(b) for a, b in zip(base_idx, ours_idx, strict=False)]))
    print(f"2. Matching: {len(queries)} queries x {len(candidates)} ESCO skills = {pairs:,} pairs, top 10")
    print(f"   baseline  numpy per query + argsort: {pairs / base_s:14,.0f} pairs/s")
    print(
        f"   ours      ScoringIndex.top_k       : {pairs / ours_s:14,.0f} pairs/s  x{base_s / ours_s:5.2f}  "
        f"(same top-10 sets: {agree:.3f})"
    )


def full_step_section(db: Path) -> None:
    from wfh.matching.step import run_match_step

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "wfh.duckdb"
        shutil.copy(db, copy)
        con = duckdb.connect(str(copy))
        con.sql("drop table if exists matching.text_embedding")
        con.close()
        cold = run_match_step(copy, progress=True)
        warm = run_match_step(copy, progress=False)
    print(f"3. Full match step on {db}: {cold['texts']:,} distinct texts")
    print(
        f"   cold: embedded {cold['embedded']:,} in {cold['embed_seconds']:.1f} s "
        f"({cold['embedded'] / max(cold['embed_seconds'], 1e-9):.1f} texts/s); whole step {cold['seconds']:.1f} s"
    )
    print(
        f"   warm: embedded {warm['embedded']:,}, cache lookups {warm['embed_seconds']:.1f} s; "
        f"whole step {warm['seconds']:.1f} s  (x{cold['seconds'] / warm['seconds']:.1f} faster)"
    )


def main(argv: list[str] | None = None) -> int:
    set_environment_defaults()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--db", type=Path, help="a built warehouse (staging + intermediate) for the full run")
    parser.add_argument("--skip-variants", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="only the variants whose name matches this regular expression (and ours)")
    parser.add_argument("--skip-matching", action="store_true")
    args = parser.parse_args(argv)
    embedding_section(sample_texts(args.texts), args.skip_variants, args.rounds, args.only)
    if not args.skip_matching:
        matching_section(args.queries)
    if args.db:
        full_step_section(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
