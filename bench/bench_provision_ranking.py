"""Provision ranking benchmarks on data anyone can see (issue 11, item 7), against a built warehouse.

    python bench/bench_provision_ranking.py --db WAREHOUSE.duckdb [--only a,b,c,d,e] [--cache CACHE.duckdb]

(a) statement -> standard, leave-one-out: one duty of each standard "Approved for delivery" (its
    latest approved version) is held out (up to ``--max-a`` queries) and the standards are ranked by
    their remaining statements.
(b) O*NET task -> occupation, leave-one-out: one task per occupation (up to ``--max-b``).
(c) route mix of the top-5 fitting standards of every priority FOP (marts.fop_standard_fit; by
    ``rank`` when the mart has it, else by fit desc, surplus, standard key with fit > 0).
    ``--preview`` adds, without the marts, the route mix of the top-5 approved standards of each
    capability of a priority FOP under each method of (a).
(d) decorte skill-extraction validation (TECH, HOUSE): label-only baseline and the configured scoring,
    as bench/bench_matching_quality.py computes them.
(e) the Appendix A calibration out of sample: thresholds fitted on one half of the cycle's
    capabilities (capability id parity) with wfh.matching.calibration, balanced accuracy on the other;
    also, in the same run, with capabilities read as written only and read both ways (acronyms).
(f) FOP-level ranking: ESCO occupations as FOPs (label and description; essential skills as
    capabilities), O*NET occupations as provision (tasks as statements), the official crosswalk's
    partners as the answers, ISCO groups as cycles; the FOP ranking's weights (alignment_weight,
    cycle_alignment_share) on a grid, each with its MRR and hub share (``--max-f`` FOPs).

Methods in (a) and (b), all on the same pool and the same fused score (wfh.matching.scoring):
``current`` = today's match step (a query's global top-10 statements, groups ranked by first
appearance; a group not among them is a miss); ``max`` / ``topK`` = the best / the mean of the K best
fused similarities of each group's statements (of all it has when fewer); each blended with ``alignment`` = cosine
(query, group profile) as ``(1 - w) * statements + w * alignment``; ``top3, adapted`` and ``adapted only``
read that cosine in the domain-adapted space the match step uses (wfh.matching.adaptation), the map fitted
on the pool (never on the held-out statements); (a) also prints the map on standards held out of its fit
(how the regularisation was chosen), (f) both spaces. Ratios are to ``current`` in the
same run. The held-out statements are not in the pool and not in the TF-IDF fit. ``fam@1`` is the
share of queries whose top group is in the right family (route of the standard; SOC major group of
the occupation): a miss there is at least a near miss.

Embeddings come from ``--cache`` (a DuckDB file with ``matching.text_embedding``; seeded from
``--db``'s cache (``embeddings.duckdb`` beside it) when it does not exist, so only new texts such as
profiles are embedded). ``--db`` is only read. ``--csv`` writes every row of (a) and (b).
``--ablations`` adds dense-only scoring and, in (a), shorter profile texts (title; title, typical
job titles and route).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from wfh.embeddings import EmbeddingSettings, EmbeddingStore, cache_file_for, copy_cache
from wfh.matching import adaptation, calibration, glossary, provision, step, targets
from wfh.matching import benchmarks as bm
from wfh.matching.config import MatchSettings
from wfh.matching.scoring import ScoreWeights, ScoringIndex

ALIGNMENT_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
# The routes issue 11 expects to dominate the provision of a cycle about manufacturing cell and gene
# therapies (printed as one share next to the route mix; the mix itself is printed in full).
CORE_ROUTES = ("Health and science", "Engineering and manufacturing", "Digital")
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f}s] {message}", flush=True)


def read(db: Path, sql: str) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


def has_relation(db: Path, schema: str, table: str) -> bool:
    return bool(
        read(
            db,
            f"select count(*) as n from information_schema.tables where table_schema = '{schema}' "
            f"and table_name = '{table}'",
        )["n"][0]
    )


def columns_of(db: Path, schema: str, table: str) -> set[str]:
    return set(
        read(
            db,
            f"select column_name from information_schema.columns where table_schema = '{schema}' "
            f"and table_name = '{table}'",
        )["column_name"].to_list()
    )


# --- (a) and (b): leave-one-out ------------------------------------------------------------------------


def adapted_alignment(
    store: EmbeddingStore,
    statements: list[str],
    statement_group: np.ndarray,
    queries: list[str],
    profiles: list[str],
    regularisation: float,
) -> np.ndarray:
    """Cosine of each query with each group profile in the domain-adapted alignment space the match
    step uses (wfh.matching.adaptation), learnt from the pool's own statements and profiles only."""
    profile_vectors = store.embed(profiles)
    matrix = adaptation.fit_alignment_map(store.embed(statements), statement_group, profile_vectors, regularisation)
    return adaptation.to_alignment_space(store.embed(queries), matrix) @ (
        adaptation.to_alignment_space(profile_vectors, matrix).T
    )


def evaluate(
    loo: bm.LeaveOneOutSet,
    store: EmbeddingStore,
    weights: ScoreWeights,
    top_k: int,
    label: str,
    regularisation: float | None = None,
) -> list[dict]:
    """Every method on one leave-one-out set: rows of pool, method, alignment_weight and metrics.
    With ``regularisation``, also the top3 evidence blended with the adapted alignment (the match
    step's alignment space, fitted on this pool: the held-out statements are not in it)."""
    started = time.perf_counter()
    index = ScoringIndex(loo.pool, store, weights)
    scores = index.full_scores(loo.query_texts)
    alignment = store.embed(loo.query_texts) @ store.embed(loo.group_profiles).T
    pool_group, gold, n = loo.pool_group, loo.query_group, len(loo.group_ids)
    family = loo.group_family

    def row(method: str, w: float | None, ranks: np.ndarray, top: np.ndarray) -> dict:
        return {
            "pool": label,
            "method": method,
            "alignment_weight": w,
            **bm.rank_metrics(ranks),
            "family@1": bm.family_at_1(top, gold, family),
        }

    ranks, top = bm.first_appearance_ranks(scores, pool_group, gold, top_k, with_top=True)
    rows = [row("current", None, ranks, top)]
    for how in bm.AGGREGATIONS:
        evidence = bm.group_scores(scores, pool_group, n, how)
        for w in ALIGNMENT_WEIGHTS:
            final = (1 - w) * evidence + w * alignment
            rows.append(row(how, w, bm.ranks_of_gold(final, gold), bm.top_groups(final)))
    rows.append(row("alignment only", 1.0, bm.ranks_of_gold(alignment, gold), bm.top_groups(alignment)))
    if regularisation is not None:
        adapted = adapted_alignment(
            store, loo.pool.labels, pool_group, loo.query_texts, loo.group_profiles, regularisation
        )
        evidence = bm.group_scores(scores, pool_group, n, "top3")
        for w in ALIGNMENT_WEIGHTS[1:]:
            final = (1 - w) * evidence + w * adapted
            rows.append(row("top3, adapted", w, bm.ranks_of_gold(final, gold), bm.top_groups(final)))
        rows.append(row("adapted only", 1.0, bm.ranks_of_gold(adapted, gold), bm.top_groups(adapted)))
    log(
        f"  {label}: {len(loo.query_texts)} queries x {len(loo.pool)} statements of {n} groups "
        f"scored in {time.perf_counter() - started:.1f}s"
    )
    return rows


def print_table(title: str, rows: list[dict], reference: dict) -> None:
    print(f"\n{title}\n(ratio = this / 'current' on the first pool; n = {int(reference['queries'])} queries)")
    print(
        f"  {'pool':32s} {'method':14s} {'w':>4s} {'MRR':>7s} {'hit@1':>7s} {'hit@10':>7s} "
        f"{'MRR x':>6s} {'h@10 x':>6s} {'fam@1':>6s}"
    )
    for r in rows:
        w = "" if r["alignment_weight"] is None else f"{r['alignment_weight']:.1f}"
        fam = "" if r.get("family@1") is None else f"{r['family@1']:.3f}"
        print(
            f"  {r['pool']:32s} {r['method']:14s} {w:>4s} {r['MRR']:7.4f} {r['hit@1']:7.4f} {r['hit@10']:7.4f} "
            f"{r['MRR'] / reference['MRR']:6.2f} {r['hit@10'] / reference['hit@10']:6.2f} {fam:>6s}"
        )
    best = max((r for r in rows if r["method"] != "current"), key=lambda r: (r["MRR"], r["hit@10"]))
    print(
        f"  best: {best['pool']} / {best['method']} / w={best['alignment_weight']}: MRR {best['MRR']:.4f} "
        f"(current {reference['MRR']:.4f}, x{best['MRR'] / reference['MRR']:.2f}), hit@10 {best['hit@10']:.4f} "
        f"(current {reference['hit@10']:.4f}, x{best['hit@10'] / reference['hit@10']:.2f})"
    )


def bench_provision(args, store, weights, top_k) -> list[dict]:
    log("(a) statement -> standard leave-one-out: reading duties, skills and profiles")
    con = duckdb.connect(str(args.db), read_only=True)
    try:
        statements, profiles = bm.provision_loo_statements(con)
    finally:
        con.close()
    sets = {
        "duties": bm.leave_one_out_set(
            "provision", statements, profiles, query_kinds=("duty",), pool_kinds=("duty",), max_queries=args.max_a
        ),
        "duties + skills": bm.leave_one_out_set(
            "provision",
            statements,
            profiles,
            query_kinds=("duty",),
            pool_kinds=("duty", "skill"),
            max_queries=args.max_a,
        ),
    }
    log(f"  {len(sets['duties'].group_ids)} approved standards, {len(sets['duties'].query_texts)} held-out duties")
    rows: list[dict] = []
    for label, loo in sets.items():
        store.embed([*loo.query_texts, *loo.pool.labels, *loo.group_profiles])
        log(f"  {label}: embedded {store.last.embedded} new texts of {store.last.unique} ({store.last.seconds:.1f}s)")
        pool_rows = evaluate(loo, store, weights, top_k, label, args.regularisation)
        if args.ablations:
            pool_rows += evaluate(loo, store, ScoreWeights.label_only(), top_k, f"{label}, dense only")
        rows += pool_rows
        print_table(
            f"(a) Statement -> standard, leave-one-out (approved standards, latest approved version), pool: {label}",
            pool_rows,
            rows[0],
        )
    bench_held_out_standards(sets["duties + skills"], store, args.regularisation)
    if args.ablations:
        # Which profile text makes the alignment signal: the full profile vs shorter ones.
        loo = sets["duties"]
        by_group = dict(zip(profiles["group_id"].to_list(), profiles.iter_rows(named=True), strict=False))
        variants = []
        for column in ("title", "title_jobs_route"):
            variant = replace(loo, group_profiles=[by_group[g][column] for g in loo.group_ids])
            store.embed(variant.group_profiles)
            variants += evaluate(variant, store, weights, top_k, f"duties, profile={column}")
        print_table("(a) ablation: profile text of the alignment signal (duties pool)", variants, rows[0])
        rows += variants
    return [{"bench": "a", **r} for r in rows]


# Regularisations of the alignment map compared on standards held out of its fit (the one tuned setting).
REGULARISATIONS = (0.3, 0.1, 0.05, 0.03, 0.02, 0.01)


def bench_held_out_standards(loo: bm.LeaveOneOutSet, store: EmbeddingStore, in_use: float) -> None:
    """How well the alignment map generalises to standards it never saw: the map is fitted on the
    statements and profiles of half the standards (even ``stable_hash`` of the reference), and each
    statement of the other half ranks that half's profiles by alignment alone (MRR of its own)."""
    groups = np.asarray([bm.stable_hash(g) % 2 for g in loo.group_ids])
    pool_group = loo.pool_group
    vectors, profiles = store.embed(loo.pool.labels), store.embed(loo.group_profiles)
    fit_groups, test_groups = np.flatnonzero(groups == 0), np.flatnonzero(groups == 1)
    fit_rows = np.flatnonzero(np.isin(pool_group, fit_groups))
    test_rows = np.flatnonzero(np.isin(pool_group, test_groups))
    fit_index = np.searchsorted(fit_groups, pool_group[fit_rows])
    gold = np.searchsorted(test_groups, pool_group[test_rows])

    def mrr(matrix: np.ndarray | None) -> float:
        queries, targets_ = vectors[test_rows], profiles[test_groups]
        if matrix is not None:
            queries = adaptation.to_alignment_space(queries, matrix)
            targets_ = adaptation.to_alignment_space(targets_, matrix)
        return bm.rank_metrics(bm.ranks_of_gold(queries @ targets_.T, gold))["MRR"]

    raw = mrr(None)
    print(
        f"\n(a) alignment map on standards held out of its fit: {len(fit_groups)} standards fit the map, "
        f"{len(test_rows)} statements of the other {len(test_groups)} rank those {len(test_groups)} profiles"
    )
    print(f"  {'alignment':28s} {'MRR':>7s} {'x raw':>6s}")
    print(f"  {'raw (the model as it is)':28s} {raw:7.4f} {1:6.2f}")
    for regularisation in REGULARISATIONS:
        matrix = adaptation.fit_alignment_map(vectors[fit_rows], fit_index, profiles[fit_groups], regularisation)
        value = mrr(matrix)
        mark = " <- in use" if regularisation == in_use else ""
        print(f"  {'adapted, regularisation ' + format(regularisation, 'g'):28s} {value:7.4f} {value / raw:6.2f}{mark}")


def bench_onet(args, store, weights, top_k) -> list[dict]:
    log("(b) O*NET task -> occupation leave-one-out: reading tasks and occupations")
    con = duckdb.connect(str(args.db), read_only=True)
    try:
        statements, profiles = bm.onet_loo_statements(con)
    finally:
        con.close()
    loo = bm.leave_one_out_set("onet", statements, profiles, query_kinds=("task",), max_queries=args.max_b)
    log(f"  {len(loo.group_ids)} occupations, {len(loo.query_texts)} held-out tasks; embedding what the cache lacks")
    store.embed([*loo.query_texts, *loo.pool.labels, *loo.group_profiles])
    log(f"  embedded {store.last.embedded} new texts of {store.last.unique} ({store.last.seconds:.1f}s)")
    rows = evaluate(loo, store, weights, top_k, "tasks", args.regularisation)
    if args.ablations:
        rows += evaluate(loo, store, ScoreWeights.label_only(), top_k, "tasks, dense only")
    print_table("(b) O*NET task -> occupation, leave-one-out", rows, rows[0])
    return [{"bench": "b", **r} for r in rows]


# --- (c) route mix --------------------------------------------------------------------------------------


def bench_route_mix(args) -> None:
    log("(c) route mix of the top-5 fitting standards of every priority FOP")
    if not has_relation(args.db, "marts", "fop_standard_fit"):
        print("  marts.fop_standard_fit is not in this warehouse: skipped")
        return
    cols = columns_of(args.db, "marts", "fop_standard_fit")
    route = "fit.route" if "route" in cols else "versions.route"
    if "rank" in cols:
        order, where, how = "fit.rank", "fit.rank <= 5", "column rank (1 = best), top 5"
    else:
        order, where, how = (
            "fit.fit desc, fit.surplus, fit.standard_key",
            "fit.fit > 0",
            "fit desc, surplus, standard key; fit > 0; top 5",
        )
    top = read(
        args.db,
        f"""
        select fit.fop_key, fops.name as fop_name, fit.standard_reference, fit.standard_title, fit.fit,
               coalesce({route}, '(no route)') as route
        from marts.fop_standard_fit fit
        join marts.dim_fop fops on fops.fop_key = fit.fop_key
        left join intermediate.int_standard_versions versions on versions.standard_key = fit.standard_key
        where fops.is_priority and {where}
        qualify row_number() over (partition by fit.fop_key order by {order}) <= 5
        order by fit.fop_key, {order}""",
    )
    fops = read(args.db, "select count(*) as n from marts.dim_fop where is_priority")["n"][0]
    print(
        f"  order: {how}; {top.height} rows for {top['fop_key'].n_unique()} of {fops} priority FOPs; "
        f"core routes ({', '.join(CORE_ROUTES)}): {top['route'].is_in(list(CORE_ROUTES)).mean():.1%}"
    )
    hubs = top.group_by("standard_title").len("fops").sort("fops", "standard_title", descending=[True, False])
    print(
        f"  {top['standard_title'].n_unique()} distinct standards; most frequent: "
        + "; ".join(f"{t} ({n} FOPs)" for t, n in hubs.head(3).iter_rows())
    )
    mix = top.group_by("route").len("standards").sort("standards", "route", descending=[True, False])
    for r in mix.iter_rows(named=True):
        print(f"  {r['route']:45s} {r['standards']:4d}  {r['standards'] / top.height:6.1%}")
    if args.verbose:
        for (fop_name,), rows in top.group_by("fop_name", maintain_order=True):
            print(
                f"  - {fop_name}: "
                + "; ".join(
                    f"{t} ({r}, fit {f:.0%})" for t, r, f in rows.select("standard_title", "route", "fit").iter_rows()
                )
            )


def bench_route_preview(args, store, weights, top_k) -> None:
    """Route mix of the top-5 approved standards of each capability of a priority FOP, by method: a
    preview of what a ranking change does to (c), independent of the marts."""
    log("(c) preview: route mix of each priority-FOP capability's top-5 approved standards, by method")
    con = duckdb.connect(str(args.db), read_only=True)
    try:
        statements, profiles = bm.provision_loo_statements(con)
        caps = con.sql("""
            select distinct k.capability_key, k.statement
            from intermediate.int_capabilities k
            join marts.fct_fop_capability_proficiency p using (capability_key)
            join marts.dim_fop f using (fop_key)
            where f.is_priority and k.statement is not null order by 1""").pl()
    finally:
        con.close()
    # The pool of (a) with nothing held out: every approved standard's duties and skill items.
    pool = bm.leave_one_out_set("provision", statements, profiles, max_queries=0)
    queries = caps["statement"].to_list()
    store.embed([*queries, *pool.pool.labels, *pool.group_profiles])
    scores = ScoringIndex(pool.pool, store, weights).full_scores(queries)
    alignment = store.embed(queries) @ store.embed(pool.group_profiles).T
    route = np.asarray(pool.group_family, dtype=object)
    methods = {
        "current (top-10 statements)": None,
        "max": ("max", 0.0),
        "top3": ("top3", 0.0),
        "top3 + alignment 0.2": ("top3", 0.2),
        "top3 + alignment 0.4": ("top3", 0.4),
    }
    print(
        f"  {len(queries)} capabilities of priority FOPs; pool: {len(pool.pool)} duties and skill items of "
        f"{len(pool.group_ids)} approved standards"
    )
    for name, method in methods.items():
        if method is None:
            from wfh.matching.scoring import top_k_rows

            idx, _ = top_k_rows(scores, top_k)
            tops = [list(dict.fromkeys(pool.pool_group[row].tolist()))[:5] for row in idx]
        else:
            how, w = method
            final = (1 - w) * bm.group_scores(scores, pool.pool_group, len(pool.group_ids), how) + w * alignment
            tops = [list(np.argsort(-row, kind="stable")[:5]) for row in final]
        mix = pl.DataFrame({"route": [route[g] or "(no route)" for top in tops for g in top]})
        counts = mix.group_by("route").len("n").sort("n", "route", descending=[True, False])
        total = mix.height
        core = counts.filter(pl.col("route").is_in(list(CORE_ROUTES)))["n"].sum() / total
        print(
            f"  {name:28s} core {core:.0%} | "
            + "; ".join(f"{r} {n / total:.0%}" for r, n in counts.head(5).iter_rows())
        )


# --- (f) profiles -> occupations (FOP-level) ---------------------------------------------------------------

# The FOP ranking's two weights compared in (f): w = alignment_weight (alignment's share of the score)
# and c = cycle_alignment_share (the cycle's share of that alignment):
#   score = (1 - w) * evidence + w * ((1 - c) * FOP alignment + c * cycle alignment)
PROFILE_ALIGNMENT_WEIGHTS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0)
PROFILE_CYCLE_SHARES = (0.0, 0.15, 0.3, 0.5)


def print_profile_table(digits: int, rows: list[dict], in_use: tuple[float, float]) -> None:
    print(f"\n(f) ESCO occupation (as a FOP) -> O*NET occupation; cycles = ISCO {digits}-digit groups")
    print("    MRR (hub: largest share of FOPs with one occupation in their top 5) by w (rows) and c (columns)")
    today = ("max; cycle title + capabilities", 0.5, 0.5)  # the FOP ranking before (f)
    reference = next(r for r in rows if (r["method"], r["alignment_weight"], r["cycle_share"]) == today)
    for method in dict.fromkeys(r["method"] for r in rows):
        shares = sorted({r["cycle_share"] for r in rows if r["method"] == method})
        print(f"  {method:34s} " + "".join(f"{'c=' + format(c, '.2f'):>16s}" for c in shares))
        for w in PROFILE_ALIGNMENT_WEIGHTS:
            cells = {r["cycle_share"]: r for r in rows if r["method"] == method and r["alignment_weight"] == w}
            print(
                f"  {'w=' + format(w, '.1f'):>34s} "
                + "".join(f"{cells[c]['MRR']:9.4f} ({cells[c]['hub']:.3f})" if c in cells else " " * 16 for c in shares)
            )
    best = max(rows, key=lambda r: r["MRR"])
    used = next(r for r in rows if (r["method"], r["alignment_weight"], r["cycle_share"]) == (today[0], *in_use))
    print(
        f"  in use (wfh.toml: w {in_use[0]}, c {in_use[1]}): MRR {used['MRR']:.4f} "
        f"(x{used['MRR'] / reference['MRR']:.2f}), hit@10 {used['hit@10']:.4f}, hub {used['hub']:.3f}"
    )
    print(
        f"  the FOP ranking before (f) (max; title + capabilities; w 0.5, c 0.5): MRR {reference['MRR']:.4f}, hit@10 "
        f"{reference['hit@10']:.4f}; best: {best['method']}, w {best['alignment_weight']}, c {best['cycle_share']}: "
        f"MRR {best['MRR']:.4f} (x{best['MRR'] / reference['MRR']:.2f}), hit@10 {best['hit@10']:.4f}"
    )


def unit(vector: np.ndarray) -> np.ndarray:
    return vector / (np.linalg.norm(vector, axis=-1, keepdims=True) + 1e-12)


def bench_profiles(args, store, weights) -> list[dict]:
    """(f): rank O*NET occupations for ESCO occupations as FOPs (crosswalk partners are right)."""
    log("(f) profile -> occupation (FOP-level), ESCO occupations as FOPs, official crosswalk as answers")
    rows: list[dict] = []
    for digits in (2, 1):
        con = duckdb.connect(str(args.db), read_only=True)
        try:
            ps = bm.esco_onet_profile_set(con, max_fops=args.max_f, isco_digits=digits)
        finally:
            con.close()
        caps = sorted({c for cs in ps.fop_capabilities for c in cs})
        titles = [ps.cycle_titles[c] for c in sorted(ps.cycle_titles)]
        store.embed([*ps.fop_texts, *caps, *titles, *ps.group_profiles, *ps.pool.labels])
        log(
            f"  ISCO {digits}-digit cycles: {len(ps.fop_texts)} FOPs in {len(titles)} cycles, "
            f"{len(caps)} capabilities, {len(ps.group_ids)} occupations, {len(ps.pool)} tasks; "
            f"embedded {store.last.embedded} new texts"
        )
        index = ScoringIndex(ps.pool, store, weights)
        pool_group, n = np.asarray(ps.pool.extra["group"], dtype=np.int64), len(ps.group_ids)
        evidence_of = {how: np.zeros((len(caps), n)) for how in ("max", "top3")}
        for start in range(0, len(caps), 256):
            scores = index.full_scores(caps[start : start + 256])
            for how, out in evidence_of.items():
                out[start : start + 256] = bm.group_scores(scores, pool_group, n, how)
        cap_row = {c: i for i, c in enumerate(caps)}
        fop_caps = [[cap_row[c] for c in cs] for cs in ps.fop_capabilities]
        profiles = store.embed(ps.group_profiles)
        fop_vectors, cap_vectors = store.embed(ps.fop_texts), store.embed(caps)
        fop_alignment = fop_vectors @ profiles.T
        cycle_of = np.asarray(ps.fop_cycle, dtype=object)
        title_vectors = dict(zip(sorted(ps.cycle_titles), store.embed(titles), strict=False))
        contexts, context_vectors = {"none": None}, {}
        for name, members in (
            ("title + capabilities", ("caps",)),
            ("title + FOPs", ("fops",)),
            ("title + capabilities + FOPs", ("caps", "fops")),
        ):
            vectors = {}
            for cycle, title in title_vectors.items():
                in_cycle = np.flatnonzero(cycle_of == cycle)
                parts = {
                    "caps": cap_vectors[sorted({r for f in in_cycle for r in fop_caps[f]})],
                    "fops": fop_vectors[in_cycle],
                }
                vectors[cycle] = provision.cycle_context(title, *(parts[m] for m in members))
            context_vectors[name] = np.stack([vectors[c] for c in ps.fop_cycle])
            contexts[name] = context_vectors[name] @ profiles.T
        for how, evidence_rows in evidence_of.items():
            evidence = np.stack([evidence_rows[r].mean(axis=0) for r in fop_caps])
            for context, cycle_alignment in contexts.items():
                for w in PROFILE_ALIGNMENT_WEIGHTS:
                    for c in PROFILE_CYCLE_SHARES:
                        if (cycle_alignment is None) != (c == 0):
                            continue
                        cycle_part = c * cycle_alignment if c else 0.0
                        score = (1 - w) * evidence + w * ((1 - c) * fop_alignment + cycle_part)
                        ranks = bm.ranks_of_any_gold(score, ps.gold)
                        top5 = np.argsort(-score, axis=1)[:, :5]
                        rows.append(
                            {
                                "bench": "f",
                                "pool": f"ISCO {digits}-digit cycles",
                                "method": f"{how}; cycle {context}",
                                "alignment_weight": w,
                                "cycle_share": c,
                                **bm.rank_metrics(ranks, ks=(1, 5, 10)),
                                # the largest share of FOPs that have one occupation in their top 5
                                "hub": np.bincount(top5.ravel(), minlength=n).max() / len(top5),
                            }
                        )
        settings = MatchSettings.from_config()
        print_profile_table(
            digits,
            [r for r in rows if r["pool"] == f"ISCO {digits}-digit cycles"],
            (settings.alignment_weight, settings.cycle_alignment_share),
        )
        evidence = np.stack([evidence_of["max"][r].mean(axis=0) for r in fop_caps])
        # The match step reads alignment in the space adapted to the provision (here: the O*NET tasks).
        matrix = adaptation.fit_alignment_map(store.embed(ps.pool.labels), pool_group, profiles, args.regularisation)
        adapted_profiles = adaptation.to_alignment_space(profiles, matrix).T
        adapted = {
            name: adaptation.to_alignment_space(vectors, matrix) @ adapted_profiles
            for name, vectors in (("FOPs", fop_vectors), *context_vectors.items())
        }
        spaces = {  # (FOP alignment, cycle alignment)
            "raw": (fop_alignment, contexts["title + capabilities"]),
            "adapted": (adapted["FOPs"], adapted["title + capabilities"]),
            "adapted, cycle + FOPs": (adapted["FOPs"], adapted["title + capabilities + FOPs"]),
        }
        rows += bench_occupation_share(args, store, weights, settings, ps, digits, evidence, spaces)
    return rows


def leave_own_out_occupation_alignment(
    fop_scores, group_scores, occupations, fop_ids, top_k, title_scores=None
) -> np.ndarray:
    """provision.occupation_alignment of each pseudo-FOP with each O*NET occupation, with the FOP's own
    ESCO occupation removed from both sides' nearest occupations (scores: texts x ESCO occupations).
    With ``title_scores`` (the FOPs' titles x ESCO occupations) the FOP side is its title and its text
    half each, as the match step describes FOPs (provision.role_occupation_profiles)."""
    groups, _, group_of = provision.unit_groups(occupations)
    n_groups = len(groups)
    column = {uri: j for j, uri in enumerate(occupations.ids)}
    base = provision.group_weights(group_scores, group_of, n_groups, top_k)
    nearest = np.argpartition(-group_scores, top_k - 1, axis=1)[:, :top_k]

    def fop_side(scores: np.ndarray, i: int, own: int) -> np.ndarray:
        own_masked = scores[i : i + 1].copy()
        own_masked[0, own] = -1.0  # below every fused score: never among the nearest
        return provision.group_weights(own_masked, group_of, n_groups, top_k)

    out = np.zeros((len(fop_ids), len(group_scores)))
    for i, uri in enumerate(fop_ids):
        own = column[uri]
        side = fop_side(fop_scores, i, own)
        if title_scores is not None:
            side = provision.half_each(fop_side(title_scores, i, own), side)
        standards = base.copy()
        affected = np.flatnonzero((nearest == own).any(axis=1))
        if len(affected):
            masked = group_scores[affected].copy()
            masked[:, own] = -1.0
            standards[affected] = provision.group_weights(masked, group_of, n_groups, top_k)
        out[i] = (side @ standards.T)[0]
    return out


# Shares of occupation alignment in the FOP's alignment compared in (f), at the configured w and c.
OCCUPATION_SHARES = (0.0, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)


def bench_occupation_share(args, store, weights, settings, ps, digits, evidence, spaces) -> list[dict]:
    """(f) continued: the FOP's alignment = (1 - o) x profile alignment + o x occupation alignment.
    Each pseudo-FOP's own ESCO occupation is left out of the occupations both sides are described by
    (it would otherwise find itself; a real FOP is not an ESCO occupation). ``spaces``: the profile
    and cycle alignments (FOPs x occupations) read in the model's own space ('raw') and in the
    domain-adapted space the match step uses (wfh.matching.adaptation), with the cycle's context of
    title + capabilities ('adapted') or title + capabilities + FOPs (the match step's).
    ``off-family@5`` = share of top-5 entries outside every right answer's SOC major group: how often
    an unrelated occupation reaches the top 5."""
    con = duckdb.connect(str(args.db), read_only=True)
    try:
        occupations = targets.esco_occupations(con)
    finally:
        con.close()
    index = ScoringIndex(occupations, store, settings.weights_for("esco-occupations"))
    k = settings.occupation_top_k
    text_scores, group_scores = index.full_scores(ps.fop_texts), index.full_scores(ps.group_profiles)
    described_by = {
        "title + text": leave_own_out_occupation_alignment(
            text_scores, group_scores, occupations, ps.fop_ids, k, index.full_scores(ps.fop_titles)
        ),
        "text only": leave_own_out_occupation_alignment(text_scores, group_scores, occupations, ps.fop_ids, k),
    }
    w, c = settings.alignment_weight, settings.cycle_alignment_share
    family = np.asarray([g[:2] for g in ps.group_ids])
    right = [set(family[gold]) for gold in ps.gold]
    rows = []
    labels = []
    for space, (fop_side, occupation_alignment), o in itertools.product(
        spaces, described_by.items(), OCCUPATION_SHARES
    ):
        if (fop_side != "title + text" and o == 0) or (space == "raw" and fop_side != "title + text"):
            continue  # o = 0 does not read the occupation profiles; the raw space only as the match step was
        fop_alignment, cycle_alignment = spaces[space]
        alignment = (1 - o) * fop_alignment + o * occupation_alignment
        score = (1 - w) * evidence + w * ((1 - c) * alignment + c * cycle_alignment)
        top5 = np.argsort(-score, axis=1)[:, :5]
        off_family = np.mean([[family[j] not in fams for j in top] for top, fams in zip(top5, right, strict=True)])
        rows.append(
            {
                "bench": "f",
                "pool": f"ISCO {digits}-digit cycles",
                "method": f"max; {space} alignment; FOP occupations by {fop_side}",
                "alignment_weight": w,
                "cycle_share": c,
                "occupation_share": o,
                **bm.rank_metrics(bm.ranks_of_any_gold(score, ps.gold), ks=(1, 5, 10)),
                "hub": np.bincount(top5.ravel(), minlength=score.shape[1]).max() / len(top5),
                "off_family@5": float(off_family),
            }
        )
        labels.append((space, fop_side))
    before = rows[0]
    print(f"\n(f) occupation alignment share o at w {w}, c {c} (top {k} ESCO occupations -> ISCO unit groups);")
    print("    the FOP's occupations from its title + text (as the match step) or from its text only (before);")
    print("    profile and cycle alignment in the model's own space (raw) or the domain-adapted one; the cycle's")
    print("    context = its title + capabilities, or (match step) its title + capabilities + FOPs, a third each")
    print(
        f"  {'space':>21s} {'FOP by':>12s} {'o':>5s} {'MRR':>7s} {'hit@1':>7s} {'hit@10':>7s} {'hub':>6s} "
        f"{'off-family@5':>13s}"
    )
    for (space, fop_side), r in zip(labels, rows, strict=True):
        in_use = (
            r["occupation_share"] == settings.occupation_alignment_share
            and fop_side == "title + text"
            and space == "adapted, cycle + FOPs"
        )
        mark = " <- in use" if in_use else ""
        print(
            f"  {space:>21s} {fop_side:>12s} {r['occupation_share']:5.2f} {r['MRR']:7.4f} {r['hit@1']:7.4f} "
            f"{r['hit@10']:7.4f} {r['hub']:6.3f} {r['off_family@5']:13.3f}  x{r['MRR'] / before['MRR']:.3f}{mark}"
        )
    return rows


# --- (d) decorte ------------------------------------------------------------------------------------------


def bench_decorte(args, store, weights) -> None:
    log("(d) decorte skill-extraction validation (TECH, HOUSE)")
    targets = bm.decorte_candidates()
    tasks = [bm.decorte_task("tech"), bm.decorte_task("house")]
    for name, w in (("baseline (label only)", ScoreWeights.label_only()), ("ours (wfh.toml)", weights)):
        index = ScoringIndex(targets, store, w)
        for task in tasks:
            m = bm.ranking_metrics(index.full_scores(task.queries), targets.ids, task.relevant)
            print(
                f"  {name:22s} {task.name:14s} n={int(m['queries']):3d} MRR={m['MRR']:.4f} RP@1={m['RP@1']:.4f} "
                f"RP@5={m['RP@5']:.4f} RP@10={m['RP@10']:.4f}",
                flush=True,
            )


# --- (e) calibration out of sample ----------------------------------------------------------------------


def half_of(capability_id: str) -> int:
    """0 or 1: the parity of the capability id's number (its stable hash when it has no digits)."""
    digits = "".join(c for c in str(capability_id) if c.isdigit())
    return int(digits) % 2 if digits else bm.stable_hash(str(capability_id)) % 2


def balanced_accuracy(best: np.ndarray, matched: np.ndarray, threshold: float) -> float:
    predicted = best >= threshold
    tpr = (predicted & matched).sum() / max(matched.sum(), 1)
    tnr = (~predicted & ~matched).sum() / max((~matched).sum(), 1)
    return float((tpr + tnr) / 2)


APPENDIX_A_CYCLES = """k.cycle_id in (select cycle_id from intermediate.int_capabilities group by 1
                                 having bool_or(in_appendix_a) and bool_or(not in_appendix_a))"""


def bench_calibration(args, store=None) -> None:
    log("(e) Appendix A calibration out of sample (halves by capability id parity)")
    signals = {
        "best statement similarity (matching.capability_provision_candidates)": read(
            args.db,
            f"""select k.capability_key, k.capability_id, not k.in_appendix_a as report_matched,
                   max(c.similarity) as best
            from intermediate.int_capabilities k
            join matching.capability_provision_candidates c using (capability_key)
            where {APPENDIX_A_CYCLES}
            group by all""",
        )
    }
    if has_relation(args.db, "marts", "capability_standard_match"):
        cols = columns_of(args.db, "marts", "capability_standard_match")
        join = (
            "m.capability_key = k.capability_key"
            if "capability_key" in cols
            else "m.capability_statement = k.statement"
            if "capability_statement" in cols
            else None
        )
        for col in ("statement_similarity", "score"):
            if join and col in cols:
                signals[f"best {col} (marts.capability_standard_match)"] = read(
                    args.db,
                    f"""select k.capability_key, k.capability_id, not k.in_appendix_a as report_matched,
                           max(m.{col}) as best
                    from intermediate.int_capabilities k join marts.capability_standard_match m on {join}
                    where {APPENDIX_A_CYCLES}
                    group by all""",
                )
    if store is not None:
        signals.update(reading_signals(args, store))
    for name, frame in signals.items():
        half = np.array([half_of(c) for c in frame["capability_id"].to_list()])
        best, matched = frame["best"].to_numpy().astype(float), frame["report_matched"].to_numpy().astype(bool)
        full = calibration.provision_thresholds(best, matched)
        auc = np.mean([[1.0 if p > q else 0.5 if p == q else 0.0 for q in best[~matched]] for p in best[matched]])
        print(
            f"  {name}: {frame.height} capabilities ({int(matched.sum())} with provision in the report); "
            f"AUC {auc:.3f}; in sample: partial {full['partial_threshold']:.2f}, match {full['match_threshold']:.2f}, "
            f"balanced accuracy {full['balanced_accuracy']:.3f}"
        )
        outs = []
        for fit_half in (0, 1):
            on, off = half == fit_half, half != fit_half
            try:
                found = calibration.provision_thresholds(best[on], matched[on])
            except ValueError as error:
                print(f"    fit on half {fit_half}: {error}")
                continue
            out = balanced_accuracy(best[off], matched[off], found["partial_threshold"])
            outs.append(out)
            print(
                f"    fit on {'even' if fit_half == 0 else 'odd'} ids (n={on.sum()}, {int(matched[on].sum())} with "
                f"provision): partial "
                f"{found['partial_threshold']:.2f}, match {found['match_threshold']:.2f}, in-sample "
                f"{found['balanced_accuracy']:.3f} -> other half (n={off.sum()}, "
                f"{int(matched[off].sum())} with provision) "
                f"balanced accuracy {out:.3f}"
            )
        if outs:
            print(f"    out-of-sample balanced accuracy, mean of both directions: {np.mean(outs):.3f}")


def reading_signals(args, store) -> dict[str, pl.DataFrame]:
    """(e) in one run for the two ways the model can read an expanded capability: as written only
    ("Human Tissue Authority (HTA)", before issue 11's eighth round) and as the match step reads it,
    the mean of that and the long forms alone (wfh.matching.glossary.reading_vectors). The signal is
    each capability's best similarity over the provision statements of the build."""
    inputs = step._read_inputs(args.db, subset=False)
    keep = read(
        args.db,
        f"""select k.capability_key, k.capability_id, not k.in_appendix_a as report_matched
        from intermediate.int_capabilities k where {APPENDIX_A_CYCLES} and k.statement is not null
        order by k.capability_key""",
    )
    caps = inputs["capabilities"].filter(pl.col("capability_key").is_in(keep["capability_key"].to_list()))
    cap_texts, _, _, long_forms = step._expanded_texts(caps, inputs["fops"], inputs["glossary"])
    order = {key: i for i, key in enumerate(caps["capability_key"].to_list())}
    rows = [order[key] for key in keep["capability_key"].to_list()]
    index = ScoringIndex(inputs["provision"], store, MatchSettings.from_config().weights_for("provision"))
    readings = {
        "as written only": store.embed(cap_texts),
        "both ways (the match step)": glossary.reading_vectors(store, cap_texts, long_forms),
    }
    return {
        f"best statement similarity, capability read {name} (same run)": keep.with_columns(
            best=pl.Series(index.full_scores(cap_texts, vectors).max(axis=1)[rows])
        )
        for name, vectors in readings.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="a built warehouse (read only)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path("/tmp/wfh-bench/provision-ranking.duckdb"),
        help="embedding cache file (seeded from --db's cache when missing)",
    )
    parser.add_argument("--only", default="a,b,c,d,e,f", help="comma-separated benches to run (default all)")
    parser.add_argument("--max-a", type=int, default=700, help="held-out duties in (a)")
    parser.add_argument("--max-b", type=int, default=1000, help="held-out tasks in (b)")
    parser.add_argument("--max-f", type=int, default=600, help="ESCO occupations ranked as FOPs in (f)")
    parser.add_argument(
        "--ablations", action="store_true", help="(a)/(b) also with dense-only scoring; (a) with shorter profiles"
    )
    parser.add_argument("--verbose", action="store_true", help="(c) lists each FOP's top 5")
    parser.add_argument(
        "--preview",
        action="store_true",
        help="(c) also the route mix of each priority-FOP capability's top-5 approved standards "
        "by method (no mart needed)",
    )
    parser.add_argument("--csv", type=Path, help="write the (a)/(b) rows here")
    parser.add_argument(
        "--regularisation",
        type=float,
        help="regularisation of the adapted alignment (default: wfh.toml [matching] alignment_map_regularisation)",
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if not args.db.exists():
        parser.error(f"--db {args.db} does not exist")

    settings = MatchSettings.from_config()
    weights = settings.weights
    if args.regularisation is None:
        args.regularisation = settings.alignment_map_regularisation
    store = None
    if only & {"a", "b", "d", "e", "f"} or ("c" in only and args.preview):
        if not args.cache.exists():
            args.cache.parent.mkdir(parents=True, exist_ok=True)
            log(f"seeding the embedding cache {args.cache} from {args.db}")
            copied = copy_cache(cache_file_for(args.db), args.cache)
            log(f"  {copied} vectors copied")
        store = EmbeddingStore(args.cache, settings=EmbeddingSettings.from_config())
    log(
        f"db {args.db}; model {settings.embedding.model_id}; weights {weights}; current top-k "
        f"{settings.provision_top_k}"
    )

    rows: list[dict] = []
    if "a" in only:
        rows += bench_provision(args, store, weights, settings.provision_top_k)
    if "b" in only:
        rows += bench_onet(args, store, weights, settings.provision_top_k)
    if "c" in only:
        bench_route_mix(args)
        if args.preview:
            bench_route_preview(args, store, weights, settings.provision_top_k)
    if "d" in only:
        bench_decorte(args, store, weights)
    if "e" in only:
        bench_calibration(args, store)
    if "f" in only:
        rows += bench_profiles(args, store, weights)
    if args.csv and rows:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        pl.DataFrame(rows).write_csv(args.csv)
        log(f"rows written to {args.csv}")
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
