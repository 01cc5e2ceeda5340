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
    labels = (
        (root / "benchmarks" / "decorte-skill-extraction" / "skills_en_label.txt")
        .read_text(encoding="utf-8")
        .split("\n")
    )
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
    frame = pl.read_csv(
        root / "benchmarks" / "decorte-skill-extraction" / f"{split}_validation_annotations.csv", infer_schema=False
    )
    frame = frame.filter(pl.col("label").is_not_null() & ~pl.col("label").is_in(list(NOT_A_SKILL)))
    grouped = frame.group_by("sentence", maintain_order=True).agg(pl.col("label").unique())
    return RankingTask(
        f"decorte-{split}", grouped["sentence"].to_list(), [set(labels) for labels in grouped["label"].to_list()]
    )


def jobbert_task(sample_every: int = 1, root: Path | None = None) -> RankingTask:
    """Validation titles (every ``sample_every``-th row, in file order) -> ESCO occupation URI."""
    root = root or mirror()
    frame = pl.read_csv(root / "benchmarks" / "jobbert-title-normalization" / "titles.csv")
    frame = frame.gather_every(sample_every)
    return RankingTask("jobbert", frame["vacancyTitle"].to_list(), [{uri} for uri in frame["conceptUri"].to_list()])


def jobbert_onet_task(con, sample_every: int = 1, root: Path | None = None) -> RankingTask:
    """The same titles -> O*NET-SOC occupations, derived: the right answers of a title are the
    official ESCO -> O*NET crosswalk partners of its ESCO occupation (``con``: a built warehouse);
    titles whose occupation has no partner are left out."""
    partners: dict[str, set[str]] = {}
    for uri, code in con.sql(
        """select esco_occupation_uri, onet_soc_code from staging.stg_esco_onet_crosswalk__crosswalk
           where esco_occupation_uri is not null and onet_soc_code is not null"""
    ).fetchall():
        partners.setdefault(uri, set()).add(code)
    titles = jobbert_task(sample_every, root)
    kept = [(q, partners[uri]) for q, (uri,) in zip(titles.queries, titles.relevant, strict=True) if uri in partners]
    return RankingTask("jobbert-onet", [q for q, _ in kept], [codes for _, codes in kept])


def ranking_metrics(
    scores: np.ndarray, candidate_ids: list[str], relevant: list[set[str]], ks: tuple[int, ...] = (1, 5, 10)
) -> dict[str, float]:
    """MRR and RP@k of a score matrix (queries x candidates)."""
    index = {cid: i for i, cid in enumerate(candidate_ids)}
    reciprocal, rp = [], {k: [] for k in ks}
    for row, gold in zip(scores, relevant, strict=False):
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


# --- Leave-one-out provision ranking (bench/bench_provision_ranking.py) -----------------------------
#
# A held-out statement of a group (a duty of an approved standard, a task of an O*NET occupation) is
# a query whose one relevant target is its own group; the groups are ranked by their *remaining*
# statements. This measures how well a method finds the right standard for a statement it has not
# seen, which is what the cube does for a capability. The held-out statements are removed from the
# candidate pool before anything is fitted on it (embeddings are per text; the TF-IDF vocabulary of
# the lexical view is fitted on the pool only).

AGGREGATIONS = ("max", "top2", "top3", "top5")


def stable_hash(text: str) -> int:
    """A hash that does not change between runs (Python's ``hash`` of a str is salted)."""
    import hashlib

    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], 16)


@dataclass
class LeaveOneOutSet:
    """Held-out queries, the groups they belong to, and the pool of remaining statements.

    ``pool.extra['group']`` and ``query_group`` index into ``group_ids``; ``group_profiles`` is the
    text a group as a whole is described by (for the alignment signal)."""

    name: str
    group_ids: list[str]
    group_profiles: list[str]
    query_ids: list[str]
    query_texts: list[str]
    query_group: np.ndarray
    pool: Candidates
    group_family: list[str] | None = None  # a coarser class per group (route, SOC major group)

    @property
    def pool_group(self) -> np.ndarray:
        return np.asarray(self.pool.extra["group"], dtype=np.int64)


def leave_one_out_set(
    name: str,
    statements: pl.DataFrame,
    profiles: pl.DataFrame,
    *,
    query_kinds: tuple[str, ...] = ("duty",),
    pool_kinds: tuple[str, ...] | None = None,
    max_queries: int | None = None,
) -> LeaveOneOutSet:
    """Hold out one statement of kind ``query_kinds`` per group and keep the rest as the pool.

    ``statements``: columns ``group_id``, ``statement_id``, ``position`` (order inside the group),
    ``kind``, ``text``. ``profiles``: ``group_id``, ``profile`` and optionally ``family`` (a coarser
    class of the group, for "right family at rank 1"). A group's statements are kept once
    per normalised text (as the match step does). A group takes part when it has at least two
    statements of a query kind, so some remain after the hold-out; the held-out one is, of its n
    statements of a query kind whose text no other group has, the one at position
    ``stable_hash(group_id) mod n``. With more groups than
    ``max_queries``, the groups with the lowest ``stable_hash`` are queried (all groups stay in the
    pool; ``max_queries=0`` holds nothing out: the whole pool). ``pool_kinds`` (default: every kind)
    limits the pool, not the choice of queries, so the same queries are held out whatever the pool."""
    from wfh.embeddings import normalise_text

    frame = (
        statements.with_columns(norm=pl.col("text").map_elements(normalise_text, return_dtype=pl.String))
        .filter(pl.col("norm") != "")
        .sort("group_id", "kind", "position", "statement_id")
        .unique(["group_id", "norm"], keep="first", maintain_order=True)
    )
    groups = sorted(set(frame["group_id"].to_list()) & set(profiles["group_id"].to_list()))
    group_index = {g: i for i, g in enumerate(groups)}
    profile_of = dict(zip(profiles["group_id"].to_list(), profiles["profile"].to_list(), strict=False))

    held: dict[str, str] = {}  # group -> held-out statement_id
    # A text shared verbatim with another group would be found by that group's copy: not a query.
    shared = set(
        frame.group_by("norm")
        .agg(pl.col("group_id").n_unique().alias("groups"))
        .filter(pl.col("groups") > 1)["norm"]
        .to_list()
    )
    eligible = frame.filter(pl.col("kind").is_in(list(query_kinds)) & pl.col("group_id").is_in(groups))
    for (group,), rows in eligible.group_by("group_id", maintain_order=True):
        rows = rows.sort("position", "statement_id")
        own = [
            i for i, t in zip(rows["statement_id"].to_list(), rows["norm"].to_list(), strict=False) if t not in shared
        ]
        if rows.height >= 2 and own:
            held[group] = own[stable_hash(group) % len(own)]
    queried = sorted(held, key=stable_hash)[:max_queries] if max_queries is not None else sorted(held)
    queried_ids = {held[g] for g in queried}

    text_of = dict(zip(frame["statement_id"].to_list(), frame["norm"].to_list(), strict=False))
    queries = sorted(queried, key=lambda g: group_index[g])
    pool = frame.filter(~pl.col("statement_id").is_in(list(queried_ids)) & pl.col("group_id").is_in(groups))
    if pool_kinds is not None:
        pool = pool.filter(pl.col("kind").is_in(list(pool_kinds)))
    return LeaveOneOutSet(
        name=name,
        group_ids=groups,
        group_profiles=[profile_of[g] for g in groups],
        query_ids=[held[g] for g in queries],
        query_texts=[text_of[held[g]] for g in queries],
        query_group=np.asarray([group_index[g] for g in queries], dtype=np.int64),
        group_family=(
            [dict(zip(profiles["group_id"].to_list(), profiles["family"].to_list(), strict=False))[g] for g in groups]
            if "family" in profiles.columns
            else None
        ),
        pool=Candidates(
            ids=pool["statement_id"].to_list(),
            labels=pool["norm"].to_list(),
            extra={"group": [group_index[g] for g in pool["group_id"].to_list()], "kind": pool["kind"].to_list()},
        ),
    )


def standard_profile(title: str | None, overview: str | None, job_titles: list[str] | None, route: str | None) -> str:
    """What a standard as a whole is about: "title. overview of role. typical job titles. route"."""
    parts = [title, overview, ", ".join(t for t in (job_titles or []) if t), route]
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())


def provision_loo_statements(con) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Duties and skill items of the latest approved version of every standard "Approved for
    delivery" (``intermediate.int_standard_versions``), and each standard's profile (plus the
    shorter profiles ``title`` and ``title_jobs_route`` for ablations)."""
    versions = con.sql("""
        select standard_key, reference_number, title, overview_of_role, typical_job_titles, route
        from intermediate.int_standard_versions
        where is_latest_approved_version and status = 'Approved for delivery'""").pl()
    statements = con.sql("""
        with latest as (
            select standard_key, reference_number from intermediate.int_standard_versions
            where is_latest_approved_version and status = 'Approved for delivery')
        select latest.reference_number as group_id,
               'duty:' || duties.standard_key || ':' || duties.duty_id as statement_id,
               coalesce(duties.duty_number, 0) as position, 'duty' as kind, duties.duty_detail as text
        from staging.stg_skills_england__duties duties join latest using (standard_key)
        union all
        select latest.reference_number, 'skill:' || items.standard_key || ':' || items.ksb_id,
               coalesce(items.position, 0), 'skill', items.detail
        from staging.stg_skills_england__ksb_items items join latest using (standard_key)
        where items.ksb_type = 'skill'""").pl()
    profiles = pl.DataFrame(
        {
            "group_id": versions["reference_number"].to_list(),
            "profile": [
                standard_profile(*row)
                for row in versions.select("title", "overview_of_role", "typical_job_titles", "route").iter_rows()
            ],
            "title": versions["title"].to_list(),
            "title_jobs_route": [
                standard_profile(t, None, j, r)
                for t, j, r in versions.select("title", "typical_job_titles", "route").iter_rows()
            ],
            "route": versions["route"].to_list(),
            "family": versions["route"].to_list(),
        }
    )
    return statements.with_columns(pl.col("position").cast(pl.Int64)), profiles


def onet_loo_statements(con) -> tuple[pl.DataFrame, pl.DataFrame]:
    """O*NET task statements (one row per task id) and each occupation's "title. description"
    (family: the SOC major group)."""
    statements = con.sql("""
        select onet_soc_code as group_id, cast(task_id as varchar) as statement_id,
               cast(task_id as bigint) as position, 'task' as kind, any_value(task_text) as text
        from staging.stg_onet__task_statements group by onet_soc_code, task_id""").pl()
    occupations = con.sql("select onet_soc_code, title, description from staging.stg_onet__occupation_data").pl()
    profiles = pl.DataFrame(
        {
            "group_id": occupations["onet_soc_code"].to_list(),
            "profile": [
                f"{t}. {d}" if d else t
                for t, d in zip(occupations["title"].to_list(), occupations["description"].to_list(), strict=False)
            ],
            "family": [code[:2] for code in occupations["onet_soc_code"].to_list()],
        }
    )
    return statements, profiles


def group_scores(scores: np.ndarray, pool_group: np.ndarray, n_groups: int, how: str) -> np.ndarray:
    """Per query, each group's score from its statements' scores: ``max``, or ``topK`` = the mean
    of its K best (of all it has when it has fewer). Groups without statements score -inf."""
    k = 1 if how == "max" else int(how.removeprefix("top"))
    order = np.argsort(pool_group, kind="stable")
    sorted_groups = pool_group[order]
    starts = np.flatnonzero(np.r_[True, np.diff(sorted_groups) != 0])
    stops = np.r_[starts[1:], len(order)]
    out = np.full((scores.shape[0], n_groups), -np.inf)
    for start, stop in zip(starts, stops, strict=False):
        block = scores[:, order[start:stop]]
        if k == 1 or block.shape[1] == 1:
            out[:, sorted_groups[start]] = block.max(axis=1)
        else:
            best = -np.partition(-block, min(k, block.shape[1]) - 1, axis=1)[:, :k]
            out[:, sorted_groups[start]] = best.mean(axis=1)
    return out


def ranks_of_gold(group_score: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Rank of each query's gold group: 1 + the number of groups scoring strictly higher."""
    gold_score = group_score[np.arange(len(gold)), gold]
    return 1 + (group_score > gold_score[:, None]).sum(axis=1)


def first_appearance_ranks(
    scores: np.ndarray, pool_group: np.ndarray, gold: np.ndarray, k: int, with_top: bool = False
):
    """Today's method: the query's global top-``k`` statements, groups ranked by their first
    appearance; the gold group's rank, 0 when none of its statements is in the top ``k``
    (``with_top``: also each query's first group)."""
    from wfh.matching.scoring import top_k_rows

    idx, _ = top_k_rows(scores, k)
    ranks = np.zeros(len(gold), dtype=np.int64)
    top = np.full(len(gold), -1, dtype=np.int64)
    for q, row in enumerate(idx):
        seen: list[int] = []
        for g in pool_group[row]:
            if g not in seen:
                seen.append(int(g))
        if seen:
            top[q] = seen[0]
        if gold[q] in seen:
            ranks[q] = seen.index(int(gold[q])) + 1
    return (ranks, top) if with_top else ranks


def top_groups(group_score: np.ndarray) -> np.ndarray:
    """The best group of each query (ties: the lower index)."""
    return np.argmax(group_score, axis=1)


def family_at_1(top: np.ndarray, gold: np.ndarray, family: list[str] | None) -> float | None:
    """Share of queries whose top group (-1 = none) is in the gold group's family (route, SOC
    major group): how often a miss is at least a near miss."""
    if family is None or not len(gold):
        return None
    fam = np.asarray(family, dtype=object)
    return float(np.mean([t >= 0 and fam[t] == fam[g] for t, g in zip(top, gold, strict=False)]))


def rank_metrics(ranks: np.ndarray, ks: tuple[int, ...] = (1, 10)) -> dict[str, float]:
    """MRR and hit@k of 1-based ranks (0 = not found: reciprocal rank 0, a miss at every k)."""
    ranks = np.asarray(ranks)
    found = ranks > 0
    out = {
        "queries": float(len(ranks)),
        "MRR": float(np.where(found, 1.0 / np.where(found, ranks, 1), 0.0).mean()) if len(ranks) else 0.0,
    }
    out.update({f"hit@{k}": float((found & (ranks <= k)).mean()) if len(ranks) else 0.0 for k in ks})
    return out


# --- Profiles -> occupations: a FOP-level set from the official ESCO -> O*NET crosswalk ------------------
# A FOP is a role (name and description) with a handful of capabilities, ranked against provision by
# its capabilities' evidence, its own alignment and its cycle's. The public analogue with labels: an
# ESCO occupation (preferred label and description; its essential skills as capabilities) ranked
# against the O*NET occupations (profile "title. description"; tasks as statements), the crosswalk's
# O*NET partners being the right answers. A "cycle" is the ISCO group the ESCO occupations belong to
# (its label as the title). Nothing is held out: ESCO skills are not O*NET tasks.


@dataclass
class ProfileSet:
    """Pseudo-FOPs with their capabilities, cycle and gold groups (indices into ``group_ids``)."""

    fop_ids: list[str]  # the ESCO occupation URI each pseudo-FOP is made from
    fop_titles: list[str]  # its preferred label (a FOP's name)
    fop_texts: list[str]
    fop_capabilities: list[list[str]]
    fop_cycle: list[str]
    cycle_titles: dict[str, str]
    gold: list[np.ndarray]
    group_ids: list[str]
    group_profiles: list[str]
    pool: Candidates  # statements; extra['group'] indexes group_ids


def esco_onet_profile_set(con, *, max_fops: int = 600, max_capabilities: int = 8, isco_digits: int = 2) -> ProfileSet:
    """ESCO occupations with a description, at least three essential skills and an O*NET crosswalk
    partner that has tasks (the ``max_fops`` with the lowest ``stable_hash`` of their URI); each
    with up to ``max_capabilities`` essential skills (lowest ``stable_hash``); cycles = ISCO groups
    of ``isco_digits`` digits."""
    statements, profiles = onet_loo_statements(con)
    groups = sorted(set(statements["group_id"].to_list()) & set(profiles["group_id"].to_list()))
    group_index = {g: i for i, g in enumerate(groups)}
    statements = statements.filter(pl.col("group_id").is_in(groups))
    profile_of = dict(zip(profiles["group_id"].to_list(), profiles["profile"].to_list(), strict=False))
    occupations = con.sql("""
        select o.esco_occupation_uri as uri, o.preferred_label, o.description, o.isco_group_code,
               list(distinct x.onet_soc_code) as onet_codes
        from staging.stg_esco__occupations o
        join staging.stg_esco_onet_crosswalk__crosswalk x using (esco_occupation_uri)
        where o.description is not null and o.isco_group_code is not null
        group by all""").pl()
    skills = con.sql("""
        select r.esco_occupation_uri as uri, r.esco_skill_uri as skill_uri, s.preferred_label as label
        from staging.stg_esco__occupation_skill_relations r
        join staging.stg_esco__skills s using (esco_skill_uri)
        where r.relation_type = 'essential' and s.preferred_label is not null""").pl()
    skills_of: dict[str, list[tuple[str, str]]] = {}
    for uri, skill_uri, label in skills.iter_rows():
        skills_of.setdefault(uri, []).append((skill_uri, label))
    isco = dict(con.sql("select isco_group_code, preferred_label from staging.stg_esco__isco_groups").fetchall())

    chosen = []
    for row in occupations.iter_rows(named=True):
        gold = sorted({group_index[c] for c in row["onet_codes"] if c in group_index})
        caps = sorted(skills_of.get(row["uri"], []), key=lambda s: stable_hash(s[0]))
        if gold and len(caps) >= 3 and row["isco_group_code"][:isco_digits] in isco:
            chosen.append((stable_hash(row["uri"]), row, gold, [label for _, label in caps[:max_capabilities]]))
    chosen = sorted(chosen, key=lambda c: c[0])[:max_fops]
    cycles = sorted({row["isco_group_code"][:isco_digits] for _, row, _, _ in chosen})
    return ProfileSet(
        fop_ids=[row["uri"] for _, row, _, _ in chosen],
        fop_titles=[row["preferred_label"] for _, row, _, _ in chosen],
        fop_texts=[f"{row['preferred_label']}. {row['description']}" for _, row, _, _ in chosen],
        fop_capabilities=[caps for _, _, _, caps in chosen],
        fop_cycle=[row["isco_group_code"][:isco_digits] for _, row, _, _ in chosen],
        cycle_titles={c: isco[c] for c in cycles},
        gold=[np.asarray(gold, dtype=np.int64) for _, _, gold, _ in chosen],
        group_ids=groups,
        group_profiles=[profile_of[g] for g in groups],
        pool=Candidates(
            ids=statements["statement_id"].to_list(),
            labels=statements["text"].to_list(),
            extra={"group": [group_index[g] for g in statements["group_id"].to_list()]},
        ),
    )


def ranks_of_any_gold(group_score: np.ndarray, gold: list[np.ndarray]) -> np.ndarray:
    """Rank of each query's best-scoring gold group (several may be right): 1 + the number of
    groups scoring strictly higher."""
    best = np.asarray([group_score[q, g].max() for q, g in enumerate(gold)])
    return 1 + (group_score > best[:, None]).sum(axis=1)
