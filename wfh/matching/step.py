"""The match step: reads the intermediate and staging models from the build database, writes the
``matching`` schema (see ``docs/architecture.md``, "What the match step writes").

Runs between the two dbt builds (staging + intermediate, then marts). Every ``matching`` table
except the embedding cache is replaced on each run; the cache only grows (a new model id adds
rows, it never mixes with the old ones).
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from wfh.embeddings import EmbeddingStore, ensure_cache_table
from wfh.matching import glossary, provision, targets
from wfh.matching.config import MatchSettings
from wfh.matching.scoring import Candidates, ScoringIndex, candidate_texts

SCHEMAS = {
    "capability_provision_candidates": {
        "capability_key": pl.String,
        "rank": pl.Int32,
        "statement_id": pl.String,
        "similarity": pl.Float64,
        "match_class": pl.String,
        "shared_terms": pl.String,
    },
    "capability_standard_best": {
        "capability_key": pl.String,
        "standard_key": pl.String,
        "statement_id": pl.String,
        "similarity": pl.Float64,
        "top3_similarity": pl.Float64,
        "match_class": pl.String,
        "shared_terms": pl.String,
    },
    "capability_statement_coverage": {
        "capability_key": pl.String,
        "statement_id": pl.String,
        "similarity": pl.Float64,
        "match_class": pl.String,
    },
    "standard_alignment": {
        "subject_kind": pl.String,
        "subject_key": pl.String,
        "cycle_id": pl.String,
        "standard_key": pl.String,
        "alignment": pl.Float64,
    },
    "matched_texts": {
        "subject_kind": pl.String,
        "subject_key": pl.String,
        "original_text": pl.String,
        "matched_text": pl.String,
    },
    "capability_esco_skill_tags": {
        "capability_key": pl.String,
        "esco_skill_uri": pl.String,
        "tag_type": pl.String,
        "rank": pl.Int32,
        "similarity": pl.Float64,
    },
    "capability_onet_links": {
        "capability_key": pl.String,
        "target_kind": pl.String,
        "target_id": pl.String,
        "rank": pl.Int32,
        "similarity": pl.Float64,
    },
    "capability_theme": {
        "capability_key": pl.String,
        "theme_key": pl.String,
        "similarity": pl.Float64,
        "method": pl.String,
    },
    "fop_occupation_links": {
        "fop_key": pl.String,
        "framework": pl.String,
        "occupation_id": pl.String,
        "rank": pl.Int32,
        "similarity": pl.Float64,
    },
    "fop_crosswalk_agreement": {
        "cycle_id": pl.String,
        "fops": pl.Int32,
        "fops_linked_both": pl.Int32,
        "agree_top1": pl.Int32,
        "agree_top5": pl.Int32,
        "share_top1": pl.Float64,
        "share_top5": pl.Float64,
    },
    "match_settings": {"setting": pl.String, "value": pl.String},
}

ESCO_TAG_TYPES = {"knowledge": "knowledge", "skill/competence": "skill"}


def _ranked(
    keys: list[str],
    index: ScoringIndex,
    queries: list[str],
    k: int,
    key_name: str,
    id_name: str,
    min_similarity: float | None = None,
    **constant,
) -> pl.DataFrame:
    """Top-k candidates of each query as rows (key, id, rank, similarity[, constant columns])."""
    idx, sim = (
        index.top_k(queries, k) if queries and len(index.candidates) else (np.zeros((0, 0), int), np.zeros((0, 0)))
    )
    ids = np.asarray(index.candidates.ids, dtype=object)
    rows = {key_name: [], id_name: [], "rank": [], "similarity": []}
    for q, key in enumerate(keys):
        for rank, (j, s) in enumerate(zip(idx[q], sim[q], strict=False), start=1):
            if min_similarity is not None and s < min_similarity:
                break
            rows[key_name].append(key)
            rows[id_name].append(ids[j])
            rows["rank"].append(rank)
            rows["similarity"].append(float(s))
    frame = pl.DataFrame(
        rows, schema={key_name: pl.String, id_name: pl.String, "rank": pl.Int32, "similarity": pl.Float64}
    )
    return frame.with_columns(**{k: pl.lit(v, dtype=pl.String) for k, v in constant.items()})


def _top_rows(
    cap_keys: list[str], cap_texts: list[str], scores: np.ndarray, candidates: Candidates, settings: MatchSettings
) -> pl.DataFrame:
    """The ``provision_top_k`` best candidates per capability from a full score matrix."""
    from wfh.matching.scoring import top_k_rows

    rows = []
    if scores.size:
        idx, sim = top_k_rows(scores, settings.provision_top_k)
        for q, key in enumerate(cap_keys):
            for rank, (j, s) in enumerate(zip(idx[q], sim[q], strict=False), start=1):
                if not np.isfinite(s):
                    break
                rows.append(
                    (key, rank, candidates.ids[j], float(s), provision.shared_terms(cap_texts[q], candidates.labels[j]))
                )
    schema = {k: v for k, v in SCHEMAS["capability_provision_candidates"].items() if k != "match_class"}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.with_columns(match_class=settings.match_class_expr()).select(
        list(SCHEMAS["capability_provision_candidates"])
    )


def _select(candidates: Candidates, keep: list[bool]) -> Candidates:
    """The candidates where ``keep`` is true."""
    pick = [i for i, k in enumerate(keep) if k]
    return Candidates(
        ids=[candidates.ids[i] for i in pick],
        labels=[candidates.labels[i] for i in pick],
        alternatives=None if candidates.alternatives is None else [candidates.alternatives[i] for i in pick],
        descriptions=None if candidates.descriptions is None else [candidates.descriptions[i] for i in pick],
        extra={c: [v[i] for i in pick] for c, v in candidates.extra.items()},
    )


def fop_text(name: str, description: str | None) -> str:
    """What a FOP is matched by: its name, then its description."""
    return f"{name}. {description}" if description else name


def theme_text(name: str, description: str | None) -> str:
    """What a theme is matched by: its name, then its description."""
    return f"{name}: {description}" if description else name


def _glossary_rows(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The cycles' glossary tables (term, definition) when the build has them (optional table)."""
    exists = con.sql(
        "select count(*) from duckdb_tables() where schema_name = 'staging' and table_name = 'stg_cycles__glossary'"
    ).fetchall()[0][0]
    if not exists:
        return pl.DataFrame(schema={"cycle_id": pl.String, "term": pl.String, "definition": pl.String})
    return con.sql("select cycle_id, term, definition from staging.stg_cycles__glossary").pl()


def _read_inputs(db_path: Path, subset: bool) -> dict:
    con = duckdb.connect(str(db_path))
    try:
        ensure_cache_table(con)
        inputs = {
            "glossary": _glossary_rows(con),
            "cycles": con.sql(
                "select cycle_id, cycle_title as title from staging.stg_cycles__cycles order by cycle_id"
            ).pl(),
            "provision": targets.provision_statements(con, subset, distinct_only=False),
            "profiles": targets.standard_profiles(con, subset),
            "capabilities": con.sql(
                "select capability_key, cycle_id, statement from intermediate.int_capabilities "
                "where statement is not null order by capability_key"
            ).pl(),
            "fops": con.sql(
                "select fop_key, cycle_id, name, description from intermediate.int_fops order by fop_key"
            ).pl(),
            "themes": con.sql(
                "select theme_key, cycle_id, name, description from intermediate.int_themes order by theme_key"
            ).pl(),
            "crosswalk": con.sql(
                "select distinct esco_occupation_uri, onet_soc_code "
                "from staging.stg_esco_onet_crosswalk__crosswalk "
                "where esco_occupation_uri is not null"
            ).pl(),
        }
        for name in ("esco-skills", "esco-occupations", "onet-tasks", "onet-dwas", "onet-occupations"):
            inputs[name] = targets.load(con, name, subset)
        return inputs
    finally:
        con.close()


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.sql(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", params=[schema, table]
        ).fetchall()[0][0]
    )


def _expanded_texts(caps: pl.DataFrame, fops: pl.DataFrame, glossary_rows: pl.DataFrame) -> tuple[list[str], list[str]]:
    """Capability and FOP texts with each cycle's acronyms expanded (wfh.matching.glossary)."""
    cap_texts, fop_texts = [], []
    seed = glossary.seed_acronyms()
    for cycle_id in sorted(set(caps["cycle_id"].to_list()) | set(fops["cycle_id"].to_list())):
        cycle_caps = caps.filter(pl.col("cycle_id") == cycle_id)
        cycle_fops = fops.filter(pl.col("cycle_id") == cycle_id)
        rows = glossary_rows.filter(pl.col("cycle_id") == cycle_id)
        acronyms = glossary.build(
            zip(rows["term"].to_list(), rows["definition"].to_list(), strict=False),
            cycle_caps["statement"].to_list() + cycle_fops["description"].to_list(),
            seed,
        )
        cap_texts.append(
            (
                cycle_caps["capability_key"].to_list(),
                [glossary.expand(t, acronyms) for t in cycle_caps["statement"].to_list()],
            )
        )
        fop_texts.append(
            (
                cycle_fops["fop_key"].to_list(),
                [
                    glossary.expand(fop_text(n, d), acronyms)
                    for n, d in zip(cycle_fops["name"].to_list(), cycle_fops["description"].to_list(), strict=False)
                ],
            )
        )
    cap_map = {k: t for keys, texts in cap_texts for k, t in zip(keys, texts, strict=False)}
    fop_map = {k: t for keys, texts in fop_texts for k, t in zip(keys, texts, strict=False)}
    return ([cap_map[k] for k in caps["capability_key"].to_list()], [fop_map[k] for k in fops["fop_key"].to_list()])


def _crosswalk_agreement(fop_links: pl.DataFrame, fops: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    """Per cycle: FOPs whose nearest ESCO and O*NET occupations are a pair of the official crosswalk
    (top 1 with top 1; and any of the top 5 with any of the top 5)."""
    pairs = set(zip(crosswalk["esco_occupation_uri"].to_list(), crosswalk["onet_soc_code"].to_list(), strict=False))
    rows = []
    for cycle_id, cycle_fops in fops.group_by("cycle_id", maintain_order=True):
        both = agree1 = agree5 = 0
        for fop_key in cycle_fops["fop_key"].to_list():
            links = fop_links.filter(pl.col("fop_key") == fop_key)
            esco = links.filter(pl.col("framework") == "esco").sort("rank")["occupation_id"].to_list()
            onet = links.filter(pl.col("framework") == "onet").sort("rank")["occupation_id"].to_list()
            if not esco or not onet:
                continue
            both += 1
            agree1 += (esco[0], onet[0]) in pairs
            agree5 += any((e, o) in pairs for e in esco[:5] for o in onet[:5])
        rows.append(
            {
                "cycle_id": cycle_id[0],
                "fops": cycle_fops.height,
                "fops_linked_both": both,
                "agree_top1": agree1,
                "agree_top5": agree5,
                "share_top1": agree1 / both if both else None,
                "share_top5": agree5 / both if both else None,
            }
        )
    return pl.DataFrame(rows, schema=SCHEMAS["fop_crosswalk_agreement"])


def run_match_step(
    db_path: Path, *, subset: bool = False, settings: MatchSettings | None = None, progress: bool | None = None
) -> dict:
    """Match every capability and FOP in the build database at ``db_path`` and (re)write the
    ``matching`` tables. ``subset=True`` ranks against a small real subset of each framework
    (tests). Returns row counts, embedding statistics and the crosswalk agreement."""
    started = time.perf_counter()
    db_path = Path(db_path)
    settings = settings or MatchSettings.from_config()
    inputs = _read_inputs(db_path, subset)
    store = EmbeddingStore(db_path, settings=settings.embedding, progress=progress)
    caps, fops, themes = inputs["capabilities"], inputs["fops"], inputs["themes"]
    cap_keys, fop_keys = caps["capability_key"].to_list(), fops["fop_key"].to_list()
    # Capability and FOP texts are matched with their acronyms expanded (domain vocabulary).
    cap_texts, fop_texts = _expanded_texts(caps, fops, inputs["glossary"])
    theme_texts = [
        theme_text(n, d) for n, d in zip(themes["name"].to_list(), themes["description"].to_list(), strict=False)
    ]
    cycle_ids = inputs["cycles"]["cycle_id"].to_list()
    cycle_titles = [t or c for c, t in zip(cycle_ids, inputs["cycles"]["title"].to_list(), strict=False)]

    # One embedding pass over every text (deduplicated, sorted by length), then only cache hits.
    all_texts = cap_texts + fop_texts + theme_texts + cycle_titles + inputs["profiles"].labels
    for name in ("provision", "esco-skills", "esco-occupations", "onet-tasks", "onet-dwas", "onet-occupations"):
        all_texts += candidate_texts(inputs[name], settings.weights)
    store.embed(all_texts)
    embed_stats = store.last

    w = settings.weights
    statements = inputs["provision"]
    provision_index = ScoringIndex(statements, store, w)
    scores = provision.full_scores(provision_index, cap_texts)
    # The statement-level view: each capability's ten best distinct statements (one per text and standard).
    distinct = np.asarray(statements.extra["is_distinct"], dtype=bool)
    ranked_scores = np.where(distinct[None, :], scores, -np.inf) if scores.size else scores
    candidates = _top_rows(cap_keys, cap_texts, ranked_scores, statements, settings)
    best = provision.best_per_standard(scores, cap_keys, cap_texts, statements, settings)
    coverage = provision.covering_statements(scores, cap_keys, statements, settings)

    profiles = inputs["profiles"]
    profile_vectors = store.embed(profiles.labels)
    fop_alignment = provision.alignment_rows(
        "fop", fop_keys, fops["cycle_id"].to_list(), store.embed(fop_texts), profiles.ids, profile_vectors
    )
    title_vectors = store.embed(cycle_titles)
    cap_vectors = store.embed(cap_texts)
    cap_cycle = np.asarray(caps["cycle_id"].to_list(), dtype=object)
    capability_alignment = provision.alignment_rows(
        "capability", cap_keys, caps["cycle_id"].to_list(), cap_vectors, profiles.ids, profile_vectors
    )
    cycle_vectors = (
        np.stack(
            [provision.cycle_context(title_vectors[i], cap_vectors[cap_cycle == c]) for i, c in enumerate(cycle_ids)]
        )
        if cycle_ids
        else np.zeros((0, 384))
    )
    cycle_alignment = provision.alignment_rows(
        "cycle", cycle_ids, cycle_ids, cycle_vectors, profiles.ids, profile_vectors
    )
    alignment = pl.concat([capability_alignment, fop_alignment, cycle_alignment])
    matched_texts = pl.DataFrame(
        {
            "subject_kind": ["capability"] * len(cap_keys) + ["fop"] * len(fop_keys),
            "subject_key": cap_keys + fop_keys,
            "original_text": caps["statement"].to_list()
            + [fop_text(n, d) for n, d in zip(fops["name"].to_list(), fops["description"].to_list(), strict=False)],
            "matched_text": cap_texts + fop_texts,
        },
        schema=SCHEMAS["matched_texts"],
    )

    skills = inputs["esco-skills"]
    tag_frames = []
    for skill_type, tag_type in ESCO_TAG_TYPES.items():
        index = ScoringIndex(_select(skills, [t == skill_type for t in skills.extra["skill_type"]]), store, w)
        tag_frames.append(
            _ranked(
                cap_keys,
                index,
                cap_texts,
                settings.tag_top_k,
                "capability_key",
                "esco_skill_uri",
                settings.tag_threshold,
                tag_type=tag_type,
            )
        )
    tags = pl.concat(tag_frames).select(list(SCHEMAS["capability_esco_skill_tags"]))

    onet_frames = [
        _ranked(
            cap_keys,
            ScoringIndex(inputs[name], store, w),
            cap_texts,
            settings.onet_top_k,
            "capability_key",
            "target_id",
            target_kind=kind,
        )
        for name, kind in (("onet-tasks", "task"), ("onet-dwas", "dwa"))
    ]
    onet_links = pl.concat(onet_frames).select(list(SCHEMAS["capability_onet_links"]))

    theme_frames = []
    for cycle_id in sorted(set(caps["cycle_id"].to_list()) & set(themes["cycle_id"].to_list())):
        in_cycle = themes["cycle_id"] == cycle_id
        theme_candidates = Candidates(
            ids=themes.filter(in_cycle)["theme_key"].to_list(),
            labels=[t for t, keep in zip(theme_texts, in_cycle.to_list(), strict=False) if keep],
        )
        cycle_caps = caps.filter(pl.col("cycle_id") == cycle_id)
        theme_frames.append(
            _ranked(
                cycle_caps["capability_key"].to_list(),
                ScoringIndex(theme_candidates, store, w),
                cycle_caps["statement"].to_list(),
                1,
                "capability_key",
                "theme_key",
                method="semantic",
            )
        )
    capability_theme = (
        pl.concat(theme_frames)
        if theme_frames
        else pl.DataFrame(
            schema={
                "capability_key": pl.String,
                "theme_key": pl.String,
                "rank": pl.Int32,
                "similarity": pl.Float64,
                "method": pl.String,
            }
        )
    ).select(list(SCHEMAS["capability_theme"]))

    fop_links = pl.concat(
        [
            _ranked(
                fop_keys,
                ScoringIndex(inputs[name], store, w),
                fop_texts,
                settings.fop_top_k,
                "fop_key",
                "occupation_id",
                framework=framework,
            )
            for name, framework in (("esco-occupations", "esco"), ("onet-occupations", "onet"))
        ]
    ).select(list(SCHEMAS["fop_occupation_links"]))
    agreement = _crosswalk_agreement(fop_links, fops, inputs["crosswalk"])

    linked = agreement["fops_linked_both"].sum() if agreement.height else 0
    overall1 = agreement["agree_top1"].sum() / linked if linked else None
    overall5 = agreement["agree_top5"].sum() / linked if linked else None
    setting_rows = settings.as_rows() + [
        ("subset", str(subset)),
        ("candidates.provision_statements", str(len(statements))),
        ("candidates.provision_statements_distinct", str(int(distinct.sum()))),
        ("candidates.standard_profiles", str(len(profiles))),
        ("candidates.esco_skills", str(len(skills))),
        ("candidates.esco_occupations", str(len(inputs["esco-occupations"]))),
        ("candidates.onet_tasks", str(len(inputs["onet-tasks"]))),
        ("candidates.onet_dwas", str(len(inputs["onet-dwas"]))),
        ("candidates.onet_occupations", str(len(inputs["onet-occupations"]))),
        ("fop_crosswalk_agreement.top1", "" if overall1 is None else f"{overall1:.4f}"),
        ("fop_crosswalk_agreement.top5", "" if overall5 is None else f"{overall5:.4f}"),
    ]
    match_settings = pl.DataFrame(setting_rows, schema=SCHEMAS["match_settings"], orient="row")

    outputs = {
        "capability_provision_candidates": candidates,
        "capability_standard_best": best,
        "capability_statement_coverage": coverage,
        "standard_alignment": alignment,
        "matched_texts": matched_texts,
        "capability_esco_skill_tags": tags,
        "capability_onet_links": onet_links,
        "capability_theme": capability_theme,
        "fop_occupation_links": fop_links,
        "fop_crosswalk_agreement": agreement,
        "match_settings": match_settings,
    }
    _write(db_path, outputs)
    return {
        "model_id": settings.embedding.model_id,
        "subset": subset,
        "rows": {name: frame.height for name, frame in outputs.items()},
        "texts": embed_stats.unique,
        "embedded": embed_stats.embedded,
        "cached": embed_stats.cached,
        "embed_seconds": round(embed_stats.seconds, 2),
        "fop_crosswalk_agreement_top1": overall1,
        "fop_crosswalk_agreement_top5": overall5,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _write(db_path: Path, outputs: dict[str, pl.DataFrame]) -> None:
    """Replace the ``matching`` tables in one transaction."""
    con = duckdb.connect(str(db_path))
    try:
        con.sql("begin transaction")
        con.sql("create schema if not exists matching")
        for name, frame in outputs.items():
            con.register("frame_to_write", frame)
            con.sql(f"create or replace table matching.{name} as select * from frame_to_write")
            con.unregister("frame_to_write")
        con.sql("commit")
    except Exception:
        con.sql("rollback")
        raise
    finally:
        con.close()
