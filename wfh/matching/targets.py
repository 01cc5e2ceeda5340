"""What the match step ranks against, read from the warehouse (staging and intermediate models).

Each loader returns :class:`~wfh.matching.scoring.Candidates`. ``subset=True`` keeps a small,
deterministic, real part of each framework so the test suite's cold embedding stays short (the
rules are in ``[matching.subset]`` of ``wfh.toml`` and in ``docs/matching.md``).
"""

from __future__ import annotations

import duckdb
import polars as pl

from wfh.matching.names import AGAINST, ALIASES, CLI_AGAINST  # noqa: F401  (the one definition)
from wfh.matching.scoring import Candidates
from wfh.settings import settings_of

# Status preference when the same statement text appears in several versions of a standard.
STATUS_PREFERENCE = [
    "Approved for delivery",
    "Approved for delivery (subject to funding band)",
    "In development",
    "Proposal in development",
    "Retired",
    "Withdrawn",
]

SUBSET_KEYS = (
    "routes",
    "standards",
    "esco_isco_prefixes",
    "esco_skills_max",
    "esco_skills_always",
    "onet_major_groups",
)


def subset_rules() -> dict:
    """``[matching.subset]`` from ``wfh.toml`` (every key required)."""
    return settings_of("matching.subset", SUBSET_KEYS)


def split_lines(text: str | None) -> list[str]:
    """ESCO keeps alternative labels as newline-separated text."""
    return [part.strip() for part in (text or "").split("\n") if part.strip()]


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    return con.sql(sql, params=params or []).pl()


def provision_statements(
    con: duckdb.DuckDBPyConnection, subset: bool = False, *, distinct_only: bool = True
) -> Candidates:
    """The match candidates among the provision statements: duty and skill statements
    (``is_match_candidate`` of ``int_provision_statements``) of every standard version, whatever
    its status (knowledge, behaviour, summary and administrative text never are).

    The same text often repeats across versions of one standard. With ``distinct_only`` it is kept
    once per standard (the version with the most current status, then the highest version), so a
    capability's ten nearest statements are ten different ones; without it every version's rows are
    returned and the extra column ``is_distinct`` marks those kept ones (the match step scores every
    version, for fit per standard version). Extra columns: standard_key, reference_number,
    statement_kind, standard_status, is_preferred_version."""
    rules = subset_rules()
    where = ""
    params: list = []
    if subset:
        # Named standards (every version) and the latest approved versions of the subset's routes.
        where = """and (s.reference_number in (select unnest(?::varchar[]))
                   or (st.route in (select unnest(?::varchar[])) and st.is_latest_approved_version_at_ingest))"""
        params = [rules["standards"], rules["routes"]]
    frame = _frame(
        con,
        f"""
        with statements as (
            select s.statement_id, s.standard_key, s.reference_number, s.version, s.statement_kind,
                   s.statement_text, s.standard_status, v.is_preferred_version,
                   coalesce(list_position(?::varchar[], s.standard_status), 99) as status_order,
                   v.version_sort_key
            from intermediate.int_provision_statements s
            join intermediate.int_standard_versions v on v.standard_key = s.standard_key
            left join staging.stg_skills_england__standards st on st.standard_key = s.standard_key
            where s.is_match_candidate and statement_text is not null and trim(statement_text) <> ''
            {where}
        ),
        flagged as (
            select *, row_number() over (
                partition by reference_number, lower(regexp_replace(trim(statement_text), '\\s+', ' ', 'g'))
                order by status_order, version_sort_key desc nulls last, statement_id) = 1 as is_distinct
            from statements
        )
        select statement_id, standard_key, reference_number, statement_kind, statement_text, standard_status,
               is_preferred_version, is_distinct
        from flagged
        {"where is_distinct" if distinct_only else ""}
        order by statement_id""",
        [STATUS_PREFERENCE, *params],
    )
    return Candidates(
        ids=frame["statement_id"].to_list(),
        labels=frame["statement_text"].to_list(),
        extra={
            c: frame[c].to_list()
            for c in (
                "standard_key",
                "reference_number",
                "statement_kind",
                "standard_status",
                "is_preferred_version",
                "is_distinct",
            )
        },
    )


def standard_profiles(con: duckdb.DuckDBPyConnection, subset: bool = False) -> Candidates:
    """One profile text per standard version, what alignment compares with a FOP or a cycle:
    title, overview of role, route, level, typical job titles, then the occupational summary
    (the model reads the first 128 tokens, so the most telling parts come first)."""
    where, params = "", []
    if subset:
        where = """where v.reference_number in (select unnest(?::varchar[]))
                   or (v.route in (select unnest(?::varchar[])) and v.is_latest_approved_version_at_ingest)"""
        rules = subset_rules()
        params = [rules["standards"], rules["routes"]]
    frame = _frame(
        con,
        f"""
        select v.standard_key,
               concat_ws('. ', v.title, nullif(trim(v.overview_of_role), ''),
                         'Route: ' || v.route, 'Level ' || v.level,
                         'Typical job titles: ' || nullif(array_to_string(v.typical_job_titles, ', '), ''),
                         nullif(trim(v.occupational_summary), '')) as profile
        from intermediate.int_standard_versions v {where}
        order by v.standard_key""",
        params,
    )
    return Candidates(ids=frame["standard_key"].to_list(), labels=frame["profile"].to_list())


def esco_skills(con: duckdb.DuckDBPyConnection, subset: bool = False, skill_type: str | None = None) -> Candidates:
    """ESCO skills/competences and knowledge concepts (``skill_type`` 'knowledge' or
    'skill/competence'; None = both): preferred label, alternative labels, description."""
    rules = subset_rules()
    filters, params = ["preferred_label is not null"], []
    if skill_type:
        filters.append("skill_type = ?")
        params.append(skill_type)
    if subset:
        # Skills of the subset's ESCO occupations (first N by URI), plus named ones.
        filters.append("""(esco_skill_uri in (
                select esco_skill_uri from (
                    select distinct r.esco_skill_uri
                    from staging.stg_esco__occupation_skill_relations r
                    join staging.stg_esco__occupations o on o.esco_occupation_uri = r.esco_occupation_uri
                    where list_has_any([left(o.isco_group_code, 2)], ?::varchar[])
                    order by 1 limit ?))
            or preferred_label in (select unnest(?::varchar[])))""")
        params += [rules["esco_isco_prefixes"], int(rules["esco_skills_max"]), rules["esco_skills_always"]]
    frame = _frame(
        con,
        f"""
        select esco_skill_uri, preferred_label, alt_labels, description, skill_type
        from staging.stg_esco__skills where {" and ".join(filters)} order by esco_skill_uri""",
        params,
    )
    return Candidates(
        ids=frame["esco_skill_uri"].to_list(),
        labels=frame["preferred_label"].to_list(),
        alternatives=[split_lines(t) for t in frame["alt_labels"].to_list()],
        descriptions=frame["description"].to_list(),
        extra={"skill_type": frame["skill_type"].to_list()},
    )


def esco_occupations(con: duckdb.DuckDBPyConnection, subset: bool = False) -> Candidates:
    """ESCO occupations: preferred label, alternative labels, description; ``extra`` holds each
    occupation's ISCO-08 unit group (code and label), what the occupation profiles of
    :func:`wfh.matching.provision.occupation_profiles` are made of."""
    where, params = "", []
    if subset:
        where = "where list_has_any([left(o.isco_group_code, 2)], ?::varchar[])"
        params = [subset_rules()["esco_isco_prefixes"]]
    frame = _frame(
        con,
        f"""
        select o.esco_occupation_uri, o.preferred_label, o.alt_labels, o.description,
               o.isco_group_code, g.preferred_label as isco_group_label
        from staging.stg_esco__occupations o
        left join staging.stg_esco__isco_groups g on g.isco_group_code = o.isco_group_code
        {where} order by o.esco_occupation_uri""",
        params,
    )
    return Candidates(
        ids=frame["esco_occupation_uri"].to_list(),
        labels=frame["preferred_label"].to_list(),
        alternatives=[split_lines(t) for t in frame["alt_labels"].to_list()],
        descriptions=frame["description"].to_list(),
        extra={
            "isco_group": frame["isco_group_code"].to_list(),
            "isco_group_label": frame["isco_group_label"].to_list(),
        },
    )


def _onet_group_filter(column: str, subset: bool) -> tuple[str, list]:
    if not subset:
        return "", []
    return f"where left({column}, 2) in (select unnest(?::varchar[]))", [subset_rules()["onet_major_groups"]]


def onet_occupations(con: duckdb.DuckDBPyConnection, subset: bool = False) -> Candidates:
    """O*NET occupations: title, alternate titles, description."""
    where, params = _onet_group_filter("o.onet_soc_code", subset)
    frame = _frame(
        con,
        f"""
        select o.onet_soc_code, o.title, o.description,
               coalesce(list(distinct a.alternate_title order by a.alternate_title)
                        filter (where a.alternate_title is not null), []) as alternate_titles
        from staging.stg_onet__occupation_data o
        left join staging.stg_onet__alternate_titles a on a.onet_soc_code = o.onet_soc_code
        {where}
        group by all order by o.onet_soc_code""",
        params,
    )
    return Candidates(
        ids=frame["onet_soc_code"].to_list(),
        labels=frame["title"].to_list(),
        alternatives=frame["alternate_titles"].to_list(),
        descriptions=frame["description"].to_list(),
    )


def onet_tasks(con: duckdb.DuckDBPyConnection, subset: bool = False) -> Candidates:
    """O*NET task statements (one row per task id)."""
    where, params = _onet_group_filter("onet_soc_code", subset)
    frame = _frame(
        con,
        f"""
        select cast(task_id as varchar) as task_id, any_value(task_text) as task_text
        from staging.stg_onet__task_statements {where}
        group by task_id order by task_id""",
        params,
    )
    return Candidates(ids=frame["task_id"].to_list(), labels=frame["task_text"].to_list())


def onet_dwas(con: duckdb.DuckDBPyConnection, subset: bool = False) -> Candidates:
    """O*NET detailed work activities (all of them: about 2,000 short texts, even in the subset)."""
    frame = _frame(
        con,
        """
        select dwa_id, any_value(dwa_title) as dwa_title
        from staging.stg_onet__dwa_reference group by dwa_id order by dwa_id""",
    )
    return Candidates(ids=frame["dwa_id"].to_list(), labels=frame["dwa_title"].to_list())


def load(con: duckdb.DuckDBPyConnection, against: str, subset: bool = False) -> Candidates:
    """Candidates by the names ``wfh match --against`` uses."""
    against = ALIASES.get(against, against)
    loaders = {
        "provision": provision_statements,
        "esco-skills": esco_skills,
        "esco-occupations": esco_occupations,
        "onet-tasks": onet_tasks,
        "onet-dwas": onet_dwas,
        "onet-occupations": onet_occupations,
    }
    if against not in loaders:
        raise ValueError(f"unknown target {against!r}: choose one of {', '.join(AGAINST)}")
    return loaders[against](con, subset)
