"""The match step: reads the intermediate and staging models from the build database, writes the
``matching`` schema (see ``docs/architecture.md``, "What the match step writes").

Runs between the two dbt builds (staging + intermediate, then marts). Every ``matching`` table is
replaced on each run. Vectors come from the embedding cache file (``wfh.embeddings``), which only
grows. Two sides: the *framework side* (candidates of Skills England, ESCO and O*NET, their vectors
and the lexical model fitted on their texts only) is built once per framework content and kept in
``warehouse/.match-index/`` beside the embedding cache (without vectors: those stay in the cache);
the *cycle side* is computed cycle by cycle, each cycle's rows depending on that cycle's inputs and
the framework side only, so an incremental run scores just the cycles that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import sklearn

from wfh import embeddings as embeddings_module
from wfh.embeddings import EmbeddingStore, normalise_text, text_sha256
from wfh.matching import adaptation, glossary, provision, targets
from wfh.matching.config import MatchSettings
from wfh.matching.scoring import Candidates, ScoringIndex, candidate_texts
from wfh.settings import paths

SCHEMAS = {
    "capability_provision_candidates": {
        "capability_key": pl.String,
        "rank": pl.Int32,
        "statement_id": pl.String,
        "similarity": pl.Float64,
        "match_class": pl.String,
        "shared_terms": pl.String,
    },
    "capability_standard_best": provision.BEST_PER_STANDARD,
    "capability_statement_coverage": provision.COVERING_STATEMENTS,
    "standard_alignment": provision.ALIGNMENT,
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
    # The domain-adapted alignment space (wfh.matching.adaptation): row i of the matrix W.
    "alignment_map": {"input_dimension": pl.Int32, "weights": pl.List(pl.Float64)},
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
    vectors: np.ndarray | None = None,
    **constant,
) -> pl.DataFrame:
    """Top-k candidates of each query as rows (key, id, rank, similarity[, constant columns]);
    ``vectors``: the queries' dense vectors (ScoringIndex.top_k)."""
    idx, sim = (
        index.top_k(queries, k, vectors)
        if queries and len(index.candidates)
        else (np.zeros((0, 0), int), np.zeros((0, 0)))
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
    con = duckdb.connect(str(db_path), read_only=True)
    try:
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


def _expanded_texts(
    caps: pl.DataFrame, fops: pl.DataFrame, glossary_rows: pl.DataFrame
) -> tuple[list[str], list[str], list[str], dict[str, str]]:
    """Capability texts, FOP texts and FOP names with each cycle's acronyms expanded
    (wfh.matching.glossary), and each expanded text's reading with the long forms alone
    (glossary.long_forms_only; the model reads both, glossary.reading_vectors)."""
    cap_texts, fop_texts, fop_names, long_forms = [], [], [], {}
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
        fop_names.append(
            (cycle_fops["fop_key"].to_list(), [glossary.expand(n, acronyms) for n in cycle_fops["name"].to_list()])
        )
        for _, texts in (cap_texts[-1], fop_texts[-1], fop_names[-1]):
            long_forms.update({text: glossary.long_forms_only(text, acronyms) for text in texts})
    cap_map = {k: t for keys, texts in cap_texts for k, t in zip(keys, texts, strict=False)}
    fop_map = {k: t for keys, texts in fop_texts for k, t in zip(keys, texts, strict=False)}
    name_map = {k: t for keys, texts in fop_names for k, t in zip(keys, texts, strict=False)}
    fop_keys = fops["fop_key"].to_list()
    return (
        [cap_map[k] for k in caps["capability_key"].to_list()],
        [fop_map[k] for k in fop_keys],
        [name_map[k] for k in fop_keys],
        long_forms,
    )


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


# --- framework side: built once per framework content, reused while the frameworks do not change ----

INDEX_CACHE_FOLDER = ".match-index"
MATCHING_CODE = Path(__file__).resolve().parent  # wfh/matching: any change there rebuilds the side
CYCLE_DIGESTS_TABLE = "cycle_inputs"  # cycle_id, inputs_sha256: what each cycle's rows come from
# Candidate sets the match step ranks against, each one ScoringIndex (ESCO skills split by type).
FRAMEWORK_TARGETS = ("provision", "esco-skills", "esco-occupations", "onet-tasks", "onet-dwas", "onet-occupations")


@dataclass
class FrameworkSide:
    """Everything the match step needs from the frameworks, independent of any cycle: the scoring
    indices (candidate vectors and the lexical model fitted on the candidates' texts only) and the
    standard profiles' vectors, and the map of the domain-adapted alignment space learnt from them
    (``alignment_map``; ``aligned_profiles`` = the profiles in that space). ``digest`` names its
    content (candidates, settings, scoring code)."""

    digest: str
    indices: dict[str, ScoringIndex]
    profiles: Candidates
    profile_vectors: np.ndarray
    profile_occupations: provision.OccupationProfiles
    counts: dict[str, int]
    crosswalk: pl.DataFrame
    profile_keys: list[str]
    alignment_map: np.ndarray
    alignment_map_statements: int
    aligned_profiles: np.ndarray | None = None

    def __getstate__(self) -> dict:
        # Vectors stay in the embedding cache only (ScoringIndex pickles its keys, not its vectors).
        return {k: v for k, v in self.__dict__.items() if k not in ("profile_vectors", "aligned_profiles")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, profile_vectors=None, aligned_profiles=None)

    def set_profile_vectors(self, vectors: np.ndarray) -> None:
        self.profile_vectors = vectors
        self.aligned_profiles = adaptation.to_alignment_space(vectors, self.alignment_map)

    def attach(self, store: EmbeddingStore) -> bool:
        """Read the indices' vectors back from the embedding cache (false if any is missing)."""
        return all(index.attach(store) for index in self.indices.values())


def _sha256_of(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, default=str).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def _candidates_digest(candidates: Candidates) -> str:
    return _sha256_of(
        candidates.ids, candidates.labels, candidates.alternatives, candidates.descriptions, candidates.extra
    )


def framework_digest(inputs: dict, settings: MatchSettings) -> str:
    """What the framework side is built from: every candidate set, the settings, the scoring code."""
    return _sha256_of(
        {name: _candidates_digest(inputs[name]) for name in FRAMEWORK_TARGETS},
        _candidates_digest(inputs["profiles"]),
        inputs["crosswalk"].sort(pl.all()).rows(),
        settings.as_rows(),
        [hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(MATCHING_CODE.glob("*.py"))],
        [hashlib.sha256(Path(embeddings_module.__file__).read_bytes()).hexdigest()],
        [sklearn.__version__, np.__version__],
    )


def _index_cache_path(digest: str, cache_path: Path) -> Path:
    """Beside the embedding cache, which holds the vectors the kept side refers to by key."""
    return Path(cache_path).parent / INDEX_CACHE_FOLDER / f"{digest[:32]}.pkl"


def _load_framework_side(digest: str, store: EmbeddingStore) -> FrameworkSide | None:
    path = _index_cache_path(digest, store.db_path)
    try:
        with path.open("rb") as handle:
            side = pickle.load(handle)
    except Exception:  # a cache that cannot be read (missing, truncated, from other code) is rebuilt
        return None
    if not isinstance(side, FrameworkSide) or side.digest != digest or not side.attach(store):
        return None
    vectors = store.vectors_of(side.profile_keys)
    if vectors is None:
        return None
    side.set_profile_vectors(vectors)
    return side


def _save_framework_side(side: FrameworkSide, cache_path: Path) -> None:
    """Keep the framework side for the next run (atomic; the previous ones are removed). Written
    under the refresh lock; a failed run leaves at most a correct, unused file."""
    path = _index_cache_path(side.digest, cache_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            pickle.dump(side, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a cache that cannot be written only costs the next run time
        return
    for other in path.parent.glob("*.pkl"):
        if other != path:
            other.unlink(missing_ok=True)


def build_framework_side(inputs: dict, settings: MatchSettings, store: EmbeddingStore, digest: str) -> FrameworkSide:
    """Embed every framework text (one pass, cache hits after the first run) and build the indices."""
    texts = list(inputs["profiles"].labels)
    for name in FRAMEWORK_TARGETS:
        texts += candidate_texts(inputs[name], settings.weights_for(name))
    store.embed(texts)
    skills = inputs["esco-skills"]
    indices = {"provision": ScoringIndex(inputs["provision"], store, settings.weights_for("provision"))}
    for skill_type, tag_type in ESCO_TAG_TYPES.items():
        kept = skills.where([t == skill_type for t in skills.extra["skill_type"]])
        indices[f"esco-skills:{tag_type}"] = ScoringIndex(kept, store, settings.weights_for("esco-skills"))
    for name in ("esco-occupations", "onet-tasks", "onet-dwas", "onet-occupations"):
        indices[name] = ScoringIndex(inputs[name], store, settings.weights_for(name))
    counts = {name: len(inputs[name]) for name in FRAMEWORK_TARGETS}
    profile_vectors = store.embed(inputs["profiles"].labels)
    statement_rows, statement_groups = alignment_training_pairs(indices["provision"].candidates, inputs["profiles"])
    side = FrameworkSide(
        digest=digest,
        indices=indices,
        profiles=inputs["profiles"],
        profile_vectors=profile_vectors,
        profile_occupations=provision.occupation_profiles(
            indices["esco-occupations"], inputs["profiles"].labels, settings.occupation_top_k
        ),
        counts=counts,
        crosswalk=inputs["crosswalk"],
        profile_keys=[text_sha256(normalise_text(t)) for t in inputs["profiles"].labels],
        alignment_map=adaptation.fit_alignment_map(
            indices["provision"].label_vectors[statement_rows],
            np.unique(statement_groups, return_inverse=True)[1],  # each statement's row among its profiles
            profile_vectors[np.unique(statement_groups)],
            settings.alignment_map_regularisation,
        ),
        alignment_map_statements=len(statement_rows),
    )
    side.set_profile_vectors(profile_vectors)
    return side


def alignment_training_pairs(statements: Candidates, profiles: Candidates) -> tuple[np.ndarray, np.ndarray]:
    """What the alignment map is learnt from: the rows of ``statements`` that are distinct duty or skill
    statements of an approved standard's preferred version with a profile, and each one's profile row.
    The map is fitted against these standards' profiles only: other versions of the same standard
    read almost the same and are not another standard."""
    profile_row = {key: i for i, key in enumerate(profiles.ids)}
    extra = statements.extra
    rows, groups = [], []
    for i, key in enumerate(extra["standard_key"]):
        if (
            key in profile_row
            and extra["standard_status"][i] == "Approved for delivery"
            and extra["is_preferred_version"][i]
            and extra["is_distinct"][i]
        ):
            rows.append(i)
            groups.append(profile_row[key])
    return np.asarray(rows, dtype=np.int64), np.asarray(groups, dtype=np.int64)


# --- cycle side: every output row belongs to one cycle and depends only on that cycle's inputs ---

# The column naming a row's cycle (directly, or by the key of its capability or FOP).
CYCLE_KEYS = {
    "capability_provision_candidates": "capability_key",
    "capability_standard_best": "capability_key",
    "capability_statement_coverage": "capability_key",
    "standard_alignment": "cycle_id",
    "matched_texts": "subject_key",
    "capability_esco_skill_tags": "capability_key",
    "capability_onet_links": "capability_key",
    "capability_theme": "capability_key",
    "fop_occupation_links": "fop_key",
    "fop_crosswalk_agreement": "cycle_id",
}


def _cycle_inputs(inputs: dict, cycle_id: str) -> dict[str, pl.DataFrame]:
    """One cycle's rows of the cycle-side inputs."""
    return {
        name: inputs[name].filter(pl.col("cycle_id") == cycle_id)
        for name in ("capabilities", "fops", "themes", "glossary", "cycles")
    }


def cycle_digest(cycle: dict[str, pl.DataFrame], framework: str, seed: dict[str, str]) -> str:
    """What one cycle's matching rows are computed from: its own inputs, the reviewed acronym seed
    every cycle's texts are expanded with, and the framework side."""
    return _sha256_of(framework, sorted(seed.items()), {name: frame.rows() for name, frame in sorted(cycle.items())})


def match_cycle(
    cycle_id: str, cycle: dict[str, pl.DataFrame], side: FrameworkSide, store: EmbeddingStore, settings: MatchSettings
) -> dict[str, pl.DataFrame]:
    """Every ``matching`` row of one cycle (all tables but ``match_settings``)."""
    caps, fops, themes = cycle["capabilities"], cycle["fops"], cycle["themes"]
    cap_keys, fop_keys = caps["capability_key"].to_list(), fops["fop_key"].to_list()
    # Capability and FOP texts are matched with their acronyms expanded (domain vocabulary); the model
    # reads them as written and with the long forms alone (glossary.reading_vectors), TF-IDF as written.
    cap_texts, fop_texts, fop_names, long_forms = _expanded_texts(caps, fops, cycle["glossary"])
    theme_texts = [
        theme_text(n, d) for n, d in zip(themes["name"].to_list(), themes["description"].to_list(), strict=False)
    ]
    titles = cycle["cycles"]["title"].to_list()
    title = (titles[0] if titles else None) or cycle_id
    store.embed(
        cap_texts
        + fop_texts
        + fop_names
        + theme_texts
        + [title]
        + caps["statement"].to_list()
        + list(long_forms.values())
    )
    cap_vectors = glossary.reading_vectors(store, cap_texts, long_forms)
    fop_vectors = glossary.reading_vectors(store, fop_texts, long_forms)
    name_vectors = glossary.reading_vectors(store, fop_names, long_forms)

    statements = side.indices["provision"].candidates
    scores = provision.full_scores(side.indices["provision"], cap_texts, cap_vectors)
    # The statement-level view: each capability's ten best distinct statements (one per text and standard).
    distinct = np.asarray(statements.extra["is_distinct"], dtype=bool)
    ranked_scores = np.where(distinct[None, :], scores, -np.inf) if scores.size else scores
    out = {
        "capability_provision_candidates": _top_rows(cap_keys, cap_texts, ranked_scores, statements, settings),
        "capability_standard_best": provision.best_per_standard(scores, cap_keys, cap_texts, statements, settings),
        "capability_statement_coverage": provision.covering_statements(scores, cap_keys, statements, settings),
    }

    profile_ids = side.profiles.ids
    occupations = side.indices["esco-occupations"]
    fop_occupations = provision.role_occupation_profiles(
        occupations, fop_names, fop_texts, settings.occupation_top_k, name_vectors, fop_vectors
    )

    # Alignments are cosines in the domain-adapted space (wfh.matching.adaptation).
    def aligned(vectors: np.ndarray) -> np.ndarray:
        return adaptation.to_alignment_space(vectors, side.alignment_map)

    fop_alignment = provision.alignment_rows(
        "fop",
        fop_keys,
        [cycle_id] * len(fop_keys),
        aligned(fop_vectors),
        profile_ids,
        side.aligned_profiles,
        provision.occupation_alignment(fop_occupations, side.profile_occupations),
    )
    capability_alignment = provision.alignment_rows(
        "capability", cap_keys, [cycle_id] * len(cap_keys), aligned(cap_vectors), profile_ids, side.aligned_profiles
    )
    # The cycle as a whole is aligned when the cycle itself is known (stg_cycles__cycles): its title, its
    # capabilities and its FOPs, a third each.
    listed = [cycle_id] if cycle["cycles"].height else []
    context = provision.cycle_context(store.embed([title])[0], cap_vectors, fop_vectors)
    cycle_alignment = provision.alignment_rows(
        "cycle", listed, listed, aligned(context[None, :]), profile_ids, side.aligned_profiles
    )
    out["standard_alignment"] = pl.concat([capability_alignment, fop_alignment, cycle_alignment])
    out["matched_texts"] = pl.DataFrame(
        {
            "subject_kind": ["capability"] * len(cap_keys) + ["fop"] * len(fop_keys),
            "subject_key": cap_keys + fop_keys,
            "original_text": caps["statement"].to_list()
            + [fop_text(n, d) for n, d in zip(fops["name"].to_list(), fops["description"].to_list(), strict=False)],
            "matched_text": cap_texts + fop_texts,
        },
        schema=SCHEMAS["matched_texts"],
    )
    out["capability_esco_skill_tags"] = pl.concat(
        [
            _ranked(
                cap_keys,
                side.indices[f"esco-skills:{tag_type}"],
                cap_texts,
                settings.tag_top_k,
                "capability_key",
                "esco_skill_uri",
                settings.tag_threshold,
                vectors=cap_vectors,
                tag_type=tag_type,
            )
            for tag_type in ESCO_TAG_TYPES.values()
        ]
    ).select(list(SCHEMAS["capability_esco_skill_tags"]))
    out["capability_onet_links"] = pl.concat(
        [
            _ranked(
                cap_keys,
                side.indices[name],
                cap_texts,
                settings.onet_top_k,
                "capability_key",
                "target_id",
                vectors=cap_vectors,
                target_kind=kind,
            )
            for name, kind in (("onet-tasks", "task"), ("onet-dwas", "dwa"))
        ]
    ).select(list(SCHEMAS["capability_onet_links"]))
    if caps.height and themes.height:
        theme_candidates = Candidates(ids=themes["theme_key"].to_list(), labels=theme_texts)
        capability_theme = _ranked(
            cap_keys,
            ScoringIndex(theme_candidates, store, settings.weights),
            caps["statement"].to_list(),
            1,
            "capability_key",
            "theme_key",
            method="semantic",
        )
    else:
        capability_theme = pl.DataFrame(schema={**SCHEMAS["capability_theme"], "rank": pl.Int32})
    out["capability_theme"] = capability_theme.select(list(SCHEMAS["capability_theme"]))
    fop_links = pl.concat(
        [
            _ranked(
                fop_keys,
                side.indices[name],
                fop_texts,
                settings.fop_top_k,
                "fop_key",
                "occupation_id",
                vectors=fop_vectors,
                framework=framework,
            )
            for name, framework in (("esco-occupations", "esco"), ("onet-occupations", "onet"))
        ]
    ).select(list(SCHEMAS["fop_occupation_links"]))
    out["fop_occupation_links"] = fop_links
    out["fop_crosswalk_agreement"] = _crosswalk_agreement(fop_links, fops, side.crosswalk)
    return out


@dataclass
class _Previous:
    """The matching rows the build already holds (a copy of the live warehouse) and the digest of
    the inputs each cycle's rows were computed from."""

    digests: dict[str, str]
    tables: dict[str, pl.DataFrame]

    @classmethod
    def read(cls, db_path: Path) -> _Previous | None:
        with duckdb.connect(str(db_path), read_only=True) as con:
            needed = [CYCLE_DIGESTS_TABLE, *CYCLE_KEYS]
            if not all(_has_table(con, "matching", name) for name in needed):
                return None
            digests = dict(con.sql(f"select cycle_id, inputs_sha256 from matching.{CYCLE_DIGESTS_TABLE}").fetchall())
            tables = {name: con.sql(f"select * from matching.{name}").pl() for name in CYCLE_KEYS}
        try:
            tables = {name: frame.select(list(SCHEMAS[name])).cast(SCHEMAS[name]) for name, frame in tables.items()}
        except pl.exceptions.PolarsError:
            return None  # written by another version of the step: recompute
        return cls(digests, tables)

    def rows_of(self, cycle_id: str, cycle: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        keys = {
            "capability_key": cycle["capabilities"]["capability_key"].to_list(),
            "fop_key": cycle["fops"]["fop_key"].to_list(),
            "cycle_id": [cycle_id],
        }
        keys["subject_key"] = keys["capability_key"] + keys["fop_key"]
        return {
            name: frame.filter(pl.col(column).is_in(keys[column]))
            for name, column in CYCLE_KEYS.items()
            for frame in [self.tables[name]]
        }


def run_match_step(
    db_path: Path,
    *,
    subset: bool = False,
    settings: MatchSettings | None = None,
    progress: bool | None = None,
    reuse: bool = False,
    cache_path: Path | None = None,
) -> dict:
    """Match every capability and FOP in the build database at ``db_path`` and (re)write the
    ``matching`` tables. ``subset=True`` ranks against a small real subset of each framework
    (tests). Returns row counts, embedding statistics and the crosswalk agreement. Vectors come
    from, and new ones go to, the cache file ``cache_path`` (default ``paths().embedding_cache``).

    With ``reuse`` (an incremental refresh), the framework side is loaded from its cache when the
    frameworks, settings and code are those it was built from, and a cycle whose inputs are those
    its rows in the build were computed from keeps its rows: only changed or new cycles are scored.
    Each cycle is scored on its own in both paths, so the result equals a run without ``reuse``."""
    started = time.perf_counter()
    db_path = Path(db_path)
    settings = settings or MatchSettings.from_config()
    inputs = _read_inputs(db_path, subset)
    cache_path = Path(cache_path or paths().embedding_cache)
    store = EmbeddingStore(cache_path, settings=settings.embedding, progress=progress)
    digest = framework_digest(inputs, settings)
    side = _load_framework_side(digest, store) if reuse else None
    side_reused = side is not None
    if side is None:
        side = build_framework_side(inputs, settings, store, digest)
        _save_framework_side(side, cache_path)
    previous = _Previous.read(db_path) if reuse else None

    cycle_ids = sorted(
        set(inputs["cycles"]["cycle_id"].to_list())
        | set(inputs["capabilities"]["cycle_id"].to_list())
        | set(inputs["fops"]["cycle_id"].to_list())
    )
    parts: dict[str, list[pl.DataFrame]] = {name: [] for name in CYCLE_KEYS}
    digests, matched, kept = {}, [], []
    seed = glossary.seed_acronyms()
    for cycle_id in cycle_ids:
        cycle = _cycle_inputs(inputs, cycle_id)
        digests[cycle_id] = cycle_digest(cycle, digest, seed)
        if previous is not None and previous.digests.get(cycle_id) == digests[cycle_id]:
            rows = previous.rows_of(cycle_id, cycle)
            kept.append(cycle_id)
        else:
            rows = match_cycle(cycle_id, cycle, side, store, settings)
            matched.append(cycle_id)
        for name, frame in rows.items():
            parts[name].append(frame)
    outputs = {
        name: pl.concat(frames) if frames else pl.DataFrame(schema=SCHEMAS[name]) for name, frames in parts.items()
    }
    agreement = outputs["fop_crosswalk_agreement"]
    linked = agreement["fops_linked_both"].sum() if agreement.height else 0
    overall1 = agreement["agree_top1"].sum() / linked if linked else None
    overall5 = agreement["agree_top5"].sum() / linked if linked else None
    statements = side.indices["provision"].candidates
    setting_rows = settings.as_rows() + [
        ("subset", str(subset)),
        ("candidates.provision_statements", str(len(statements))),
        ("candidates.provision_statements_distinct", str(sum(map(bool, statements.extra["is_distinct"])))),
        ("candidates.standard_profiles", str(len(side.profiles))),
        ("alignment_map.statements", str(side.alignment_map_statements)),
        ("candidates.esco_skills", str(side.counts["esco-skills"])),
        ("candidates.esco_occupations", str(side.counts["esco-occupations"])),
        ("candidates.onet_tasks", str(side.counts["onet-tasks"])),
        ("candidates.onet_dwas", str(side.counts["onet-dwas"])),
        ("candidates.onet_occupations", str(side.counts["onet-occupations"])),
        ("fop_crosswalk_agreement.top1", "" if overall1 is None else f"{overall1:.4f}"),
        ("fop_crosswalk_agreement.top5", "" if overall5 is None else f"{overall5:.4f}"),
    ]
    outputs["match_settings"] = pl.DataFrame(setting_rows, schema=SCHEMAS["match_settings"], orient="row")
    outputs["alignment_map"] = pl.DataFrame(
        {"input_dimension": range(len(side.alignment_map)), "weights": side.alignment_map.astype(float).tolist()},
        schema=SCHEMAS["alignment_map"],
    )
    outputs[CYCLE_DIGESTS_TABLE] = pl.DataFrame(
        list(digests.items()), schema={"cycle_id": pl.String, "inputs_sha256": pl.String}, orient="row"
    )
    _write(db_path, outputs)
    totals = store.totals
    return {
        "model_id": settings.embedding.model_id,
        "subset": subset,
        "rows": {name: frame.height for name, frame in outputs.items()},
        "texts": totals.unique,
        "embedded": totals.embedded,
        "cached": totals.cached,
        "embed_seconds": round(totals.seconds, 2),
        "framework_side": "reused" if side_reused else "built",
        "cycles_matched": matched,
        "cycles_kept": kept,
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
