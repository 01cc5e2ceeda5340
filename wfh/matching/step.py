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
from wfh.matching import targets
from wfh.matching.config import MatchSettings
from wfh.matching.scoring import Candidates, ScoringIndex, candidate_texts

SCHEMAS = {
    "capability_provision_candidates": {"capability_key": pl.String, "rank": pl.Int32, "statement_id": pl.String,
                                        "similarity": pl.Float64, "match_class": pl.String},
    "capability_esco_skill_tags": {"capability_key": pl.String, "esco_skill_uri": pl.String, "tag_type": pl.String,
                                   "rank": pl.Int32, "similarity": pl.Float64},
    "capability_onet_links": {"capability_key": pl.String, "target_kind": pl.String, "target_id": pl.String,
                              "rank": pl.Int32, "similarity": pl.Float64},
    "capability_theme": {"capability_key": pl.String, "theme_key": pl.String, "similarity": pl.Float64,
                         "method": pl.String},
    "fop_occupation_links": {"fop_key": pl.String, "framework": pl.String, "occupation_id": pl.String,
                             "rank": pl.Int32, "similarity": pl.Float64},
    "fop_crosswalk_agreement": {"cycle_id": pl.String, "fops": pl.Int32, "fops_linked_both": pl.Int32,
                                "agree_top1": pl.Int32, "agree_top5": pl.Int32, "share_top1": pl.Float64,
                                "share_top5": pl.Float64},
    "match_settings": {"setting": pl.String, "value": pl.String},
}

ESCO_TAG_TYPES = {"knowledge": "knowledge", "skill/competence": "skill"}


def _ranked(keys: list[str], index: ScoringIndex, queries: list[str], k: int, key_name: str,
            id_name: str, min_similarity: float | None = None, **constant) -> pl.DataFrame:
    """Top-k candidates of each query as rows (key, id, rank, similarity[, constant columns])."""
    idx, sim = index.top_k(queries, k) if queries and len(index.candidates) else (np.zeros((0, 0), int), np.zeros((0, 0)))
    ids = np.asarray(index.candidates.ids, dtype=object)
    rows = {key_name: [], id_name: [], "rank": [], "similarity": []}
    for q, key in enumerate(keys):
        rank = 0
        for j, s in zip(idx[q], sim[q]):
            if min_similarity is not None and s < min_similarity:
                break
            rank += 1
            rows[key_name].append(key)
            rows[id_name].append(ids[j])
            rows["rank"].append(rank)
            rows["similarity"].append(float(s))
    frame = pl.DataFrame(rows, schema={key_name: pl.String, id_name: pl.String, "rank": pl.Int32,
                                       "similarity": pl.Float64})
    return frame.with_columns(**{k: pl.lit(v, dtype=pl.String) for k, v in constant.items()})


def _select(candidates: Candidates, keep: list[bool]) -> Candidates:
    """The candidates where ``keep`` is true."""
    pick = [i for i, k in enumerate(keep) if k]
    return Candidates(
        ids=[candidates.ids[i] for i in pick], labels=[candidates.labels[i] for i in pick],
        alternatives=None if candidates.alternatives is None else [candidates.alternatives[i] for i in pick],
        descriptions=None if candidates.descriptions is None else [candidates.descriptions[i] for i in pick],
        extra={c: [v[i] for i in pick] for c, v in candidates.extra.items()})


def fop_text(name: str, description: str | None) -> str:
    """What a FOP is matched by: its name, then its description."""
    return f"{name}. {description}" if description else name


def theme_text(name: str, description: str | None) -> str:
    """What a theme is matched by: its name, then its description."""
    return f"{name}: {description}" if description else name


def _read_inputs(db_path: Path, subset: bool) -> dict:
    con = duckdb.connect(str(db_path))
    try:
        ensure_cache_table(con)
        inputs = {
            "capabilities": con.sql("select capability_key, cycle_id, statement from intermediate.int_capabilities "
                                    "where statement is not null order by capability_key").pl(),
            "fops": con.sql("select fop_key, cycle_id, name, description from intermediate.int_fops "
                            "order by fop_key").pl(),
            "themes": con.sql("select theme_key, cycle_id, name, description from intermediate.int_themes "
                              "order by theme_key").pl(),
            "crosswalk": con.sql("select distinct esco_occupation_uri, onet_soc_code "
                                 "from staging.stg_esco_onet_crosswalk__crosswalk "
                                 "where esco_occupation_uri is not null").pl(),
        }
        for name in ("duties", "esco-skills", "esco-occupations", "onet-tasks", "onet-dwas", "onet-occupations"):
            inputs[name] = targets.load(con, name, subset)
        return inputs
    finally:
        con.close()


def _crosswalk_agreement(fop_links: pl.DataFrame, fops: pl.DataFrame, crosswalk: pl.DataFrame) -> pl.DataFrame:
    """Per cycle: FOPs whose nearest ESCO and O*NET occupations are a pair of the official crosswalk
    (top 1 with top 1; and any of the top 5 with any of the top 5)."""
    pairs = set(zip(crosswalk["esco_occupation_uri"].to_list(), crosswalk["onet_soc_code"].to_list()))
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
        rows.append({"cycle_id": cycle_id[0], "fops": cycle_fops.height, "fops_linked_both": both,
                     "agree_top1": agree1, "agree_top5": agree5,
                     "share_top1": agree1 / both if both else None, "share_top5": agree5 / both if both else None})
    return pl.DataFrame(rows, schema=SCHEMAS["fop_crosswalk_agreement"])


def run_match_step(db_path: Path, *, subset: bool = False, settings: MatchSettings | None = None,
                   progress: bool | None = None) -> dict:
    """Match every capability and FOP in the build database at ``db_path`` and (re)write the
    ``matching`` tables. ``subset=True`` ranks against a small real subset of each framework
    (tests). Returns row counts, embedding statistics and the crosswalk agreement."""
    started = time.perf_counter()
    db_path = Path(db_path)
    settings = settings or MatchSettings.from_config()
    inputs = _read_inputs(db_path, subset)
    store = EmbeddingStore(db_path, settings=settings.embedding, progress=progress)
    caps, fops, themes = inputs["capabilities"], inputs["fops"], inputs["themes"]
    cap_keys, cap_texts = caps["capability_key"].to_list(), caps["statement"].to_list()
    fop_keys = fops["fop_key"].to_list()
    fop_texts = [fop_text(n, d) for n, d in zip(fops["name"].to_list(), fops["description"].to_list())]
    theme_texts = [theme_text(n, d) for n, d in zip(themes["name"].to_list(), themes["description"].to_list())]

    # One embedding pass over every text (deduplicated, sorted by length), then only cache hits.
    all_texts = cap_texts + fop_texts + theme_texts
    for name in ("duties", "esco-skills", "esco-occupations", "onet-tasks", "onet-dwas", "onet-occupations"):
        all_texts += candidate_texts(inputs[name], settings.weights)
    store.embed(all_texts)
    embed_stats = store.last

    w = settings.weights
    provision = ScoringIndex(inputs["duties"], store, w)
    candidates = _ranked(cap_keys, provision, cap_texts, settings.provision_top_k, "capability_key", "statement_id")
    candidates = candidates.with_columns(
        match_class=settings.match_class_expr()).select(list(SCHEMAS["capability_provision_candidates"]))

    skills = inputs["esco-skills"]
    tag_frames = []
    for skill_type, tag_type in ESCO_TAG_TYPES.items():
        index = ScoringIndex(_select(skills, [t == skill_type for t in skills.extra["skill_type"]]), store, w)
        tag_frames.append(_ranked(cap_keys, index, cap_texts, settings.tag_top_k, "capability_key",
                                  "esco_skill_uri", settings.tag_threshold, tag_type=tag_type))
    tags = pl.concat(tag_frames).select(list(SCHEMAS["capability_esco_skill_tags"]))

    onet_frames = [
        _ranked(cap_keys, ScoringIndex(inputs[name], store, w), cap_texts, settings.onet_top_k,
                "capability_key", "target_id", target_kind=kind)
        for name, kind in (("onet-tasks", "task"), ("onet-dwas", "dwa"))]
    onet_links = pl.concat(onet_frames).select(list(SCHEMAS["capability_onet_links"]))

    theme_frames = []
    for cycle_id in sorted(set(caps["cycle_id"].to_list()) & set(themes["cycle_id"].to_list())):
        in_cycle = themes["cycle_id"] == cycle_id
        theme_candidates = Candidates(ids=themes.filter(in_cycle)["theme_key"].to_list(),
                                      labels=[t for t, keep in zip(theme_texts, in_cycle.to_list()) if keep])
        cycle_caps = caps.filter(pl.col("cycle_id") == cycle_id)
        theme_frames.append(_ranked(cycle_caps["capability_key"].to_list(), ScoringIndex(theme_candidates, store, w),
                                    cycle_caps["statement"].to_list(), 1, "capability_key", "theme_key",
                                    method="semantic"))
    capability_theme = (pl.concat(theme_frames) if theme_frames else pl.DataFrame(
        schema={"capability_key": pl.String, "theme_key": pl.String, "rank": pl.Int32, "similarity": pl.Float64,
                "method": pl.String})).select(list(SCHEMAS["capability_theme"]))

    fop_links = pl.concat([
        _ranked(fop_keys, ScoringIndex(inputs[name], store, w), fop_texts, settings.fop_top_k, "fop_key",
                "occupation_id", framework=framework)
        for name, framework in (("esco-occupations", "esco"), ("onet-occupations", "onet"))
    ]).select(list(SCHEMAS["fop_occupation_links"]))
    agreement = _crosswalk_agreement(fop_links, fops, inputs["crosswalk"])

    linked = agreement["fops_linked_both"].sum() if agreement.height else 0
    overall1 = agreement["agree_top1"].sum() / linked if linked else None
    overall5 = agreement["agree_top5"].sum() / linked if linked else None
    setting_rows = settings.as_rows() + [
        ("subset", str(subset)),
        ("candidates.provision_statements", str(len(inputs["duties"]))),
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
