"""Fixtures for the quality-gate tests: one GX context per session, real landing data, small copies.

- ``gx_context``: a copy of the committed GX project (``expectations/``) with Data Docs in a temporary
  folder, so the tests never write into the checkout.
- ``real_landing``: the real sources landed once per session by the real ingest code.
- ``small_landing``: a small, consistent real subset of it (a few standards, ESCO occupations and
  O*NET occupations, every cycle table), copied per test by ``landing_copy`` and spoiled with SQL.
- ``make_marts_db``: a hand-made build file with the marts the gate checks, spoiled with SQL.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from wfh.settings import paths

SUBSET_VERSION = "subset"
STANDARDS = ("ST0473", "ST1406", "ST1376", "ST0414", "ST0363")
ISCO_GROUPS = ("2145", "3133")
ONET_CODES = ("17-2041.00", "19-1021.00", "51-9011.00")


@pytest.fixture(scope="session")
def gx_context(tmp_path_factory):
    """The GX project as committed, copied to a temporary folder (synced with wfh/quality.py)."""
    from wfh.quality import quality_context

    root = tmp_path_factory.mktemp("gx")
    shutil.copytree(paths().expectations, root / "expectations", ignore=shutil.ignore_patterns("uncommitted"))
    return quality_context(root / "expectations", root / "data_docs")


@pytest.fixture(scope="session")
def real_landing(tmp_path_factory, mirror) -> Path:
    """Every real source and the cycle bundles, landed by the real ingest code into a temporary folder."""
    from wfh.ingest import SOURCES, load_cycles, load_source

    warehouse = tmp_path_factory.mktemp("warehouse")
    landing = warehouse / "landing"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WFH_WAREHOUSE_DIR", str(warehouse))
        for source_id in SOURCES:
            assert load_source(source_id, landing_dir=landing).status == "loaded"
        assert load_cycles(landing_dir=landing).status == "loaded"
    return landing


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _occupations() -> str:
    """A few ISCO groups' occupations, and those the subset's crosswalk rows point at."""
    return (
        f"select concept_uri from esco.occupations where isco_group in {_in(ISCO_GROUPS)} "
        "or concept_uri in (select esco_occupation_uri from esco_onet_crosswalk.crosswalk "
        f"where onet_soc_code in {_in(ONET_CODES)})"
    )


def _relations() -> str:
    """The subset's occupations' relations, plus the 67 rows of the occupation not in the release."""
    return (
        f"select * from esco.occupation_skill_relations where occupation_uri in ({_occupations()}) "
        "or not occupation_in_release"
    )


def _subset_queries() -> dict[str, dict[str, str]]:
    """Per source and table, a query over the real landing (views ``<source>.<table>``)."""
    standards = f"reference_number in {_in(STANDARDS)}"
    occupations = _occupations()
    skills = "select skill_uri from relations"
    onet = f"onet_soc_code in {_in(ONET_CODES)}"
    return {
        "skills_england": {
            t: f"select * from skills_england.{t} where {standards}"
            for t in ("standards", "duties", "ksb_items", "duty_ksb_links", "options")
        },
        "esco": {
            "occupations": f"select * from esco.occupations where concept_uri in ({occupations})",
            "occupation_skill_relations": "select * from relations",
            "skills": f"select * from esco.skills where concept_uri in ({skills})",
            "skill_skill_relations": f"select * from esco.skill_skill_relations where original_skill_uri "
            f"in ({skills}) and related_skill_uri in ({skills})",
            "skill_collection_members": f"select * from esco.skill_collection_members where concept_uri in ({skills})",
            "occupation_collection_members": f"select * from esco.occupation_collection_members "
            f"where concept_uri in ({occupations})",
            "broader_relations_occ_pillar": f"select * from esco.broader_relations_occ_pillar "
            f"where concept_uri in ({occupations})",
            "broader_relations_skill_pillar": f"select * from esco.broader_relations_skill_pillar "
            f"where concept_uri in ({skills})",
            **{
                t: f"select * from esco.{t}"
                for t in ("isco_groups", "skill_groups", "skills_hierarchy", "concept_schemes")
            },
        },
        "onet": {
            **{
                t: f"select * from onet.{t} where {onet}"
                for t in (
                    "occupation_data",
                    "task_statements",
                    "tasks_to_dwas",
                    "technology_skills",
                    "alternate_titles",
                    "job_zones",
                    "skills",
                    "knowledge",
                )
            },
            **{
                t: f"select * from onet.{t}"
                for t in ("dwa_reference", "iwa_reference", "content_model_reference", "scales_reference")
            },
        },
        "esco_onet_crosswalk": {"crosswalk": f"select * from esco_onet_crosswalk.crosswalk where {onet}"},
    }


@pytest.fixture(scope="session")
def small_landing(real_landing, tmp_path_factory) -> Path:
    """A small, referentially consistent subset of the real landing zone (version ``subset``)."""
    from wfh.contracts import landing_tables

    root = tmp_path_factory.mktemp("small") / "landing"
    con = duckdb.connect()
    for source, tables in landing_tables().items():
        con.sql(f"create schema {source}")
        for table in tables:
            path = real_landing / source / "current" / f"{table}.parquet"
            con.sql(f"create view {source}.{table} as select * from read_parquet('{path}')")
    con.sql("create temp view relations as " + _relations())
    queries = _subset_queries()
    queries["cycles"] = {t: f"select * from cycles.{t}" for t in landing_tables()["cycles"]}
    for source, tables in queries.items():
        folder = root / source / SUBSET_VERSION
        folder.mkdir(parents=True)
        (root / source / "current").symlink_to(SUBSET_VERSION)
        for table, query in tables.items():
            con.sql(query).write_parquet(str(folder / f"{table}.parquet"))
    con.close()
    return root


@pytest.fixture
def landing_copy(small_landing, tmp_path) -> Path:
    """This test's own copy of the small landing zone."""
    target = tmp_path / "landing"
    shutil.copytree(small_landing, target, symlinks=True)
    return target


@pytest.fixture
def spoil():
    """``spoil(landing, source, table, query)``: replace a landing table by ``query`` over it (``t``)."""

    def replace(landing: Path, source: str, table: str, query: str) -> None:
        path = landing / source / "current" / f"{table}.parquet"
        with duckdb.connect() as con:
            con.sql(f"create table t as select * from read_parquet('{path}')")
            con.sql(query).write_parquet(str(path))

    return replace


MARTS_SQL = """
create schema marts;
create schema matching;
create table marts.dim_cycle as select 'c1' as cycle_id, 'A cycle' as title;
create table marts.dim_capability as
  select 'c1:cap-' || n as capability_key, 'c1' as cycle_id, 'cap-' || n as capability_id,
         'Capability ' || n as statement
  from range(1, 4) r(n);
create table marts.dim_fop as
  select 'c1:fop-' || n as fop_key, 'c1' as cycle_id, 'fop-' || n as fop_id, 'FOP ' || n as name
  from range(1, 3) r(n);
create table marts.dim_standard as
  select * from (values ('ST0473_1.1'), ('ST1406_1.0')) v(standard_key);
create table marts.fct_fop_capability_proficiency as
  select * from (values ('c1:fop-1', 'c1:cap-1', 'c1', 1, 'Awareness'),
                        ('c1:fop-1', 'c1:cap-2', 'c1', 3, 'Expert'),
                        ('c1:fop-2', 'c1:cap-3', 'c1', 2, 'Practitioner'))
    v(fop_key, capability_key, cycle_id, proficiency, proficiency_label);
create schema staging;
create table staging.stg_cycles__fop_capability_proficiency as
  select p.cycle_id, f.fop_id, c.capability_id, p.proficiency
  from marts.fct_fop_capability_proficiency p
  join marts.dim_fop f using (fop_key) join marts.dim_capability c using (capability_key);
create table matching.capability_provision_candidates as
  select c.capability_key, r.rank, 'duty:' || c.capability_id || '-' || r.rank as statement_id,
         0.9 - 0.2 * r.rank as similarity,
         case when r.rank = 1 then 'match' else 'partial' end as match_class
  from marts.dim_capability c, (values (1), (2)) r(rank);
create table marts.capability_provision_match as
  select 'c1' as cycle_id, capability_key, rank, 'ST0473_1.1' as standard_key, statement_id,
         similarity, match_class
  from matching.capability_provision_candidates;
create table marts.capability_provision_status as
  select cycle_id, capability_id, capability_key, 0.7 as best_similarity, 'match' as match_class,
         'ST0473_1.1' as best_standard_key
  from marts.dim_capability;
create table marts.fop_standard_fit as
  select f.cycle_id, f.fop_key, s.standard_key, 2 as fop_capabilities, 0.5 as fit, 0.75 as surplus
  from marts.dim_fop f, marts.dim_standard s;
create table marts.fop_standard_fit_matrix as
  select cycle_id, fop_key, standard_key, fit, surplus from marts.fop_standard_fit;
create table marts.capability_gap_actions as
  select cycle_id, capability_key, 'match' as match_class, 0.7 as best_similarity,
         'short-term CPD' as horizon
  from marts.dim_capability;
create table marts.fop_priorities as
  select cycle_id, fop_key, 0.5 as best_fit, 0.75 as surplus_at_best_fit from marts.dim_fop;
create table marts.report_reconciliation as
  select cycle_id, capability_key, true as agrees from marts.dim_capability;
"""


@pytest.fixture
def make_marts_db(tmp_path):
    """``make_marts_db(*spoilers)`` -> a build file with good marts, then the spoiler SQL applied."""

    def make(*spoilers: str) -> Path:
        path = tmp_path / "build" / "wfh.duckdb"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        with duckdb.connect(str(path)) as con:
            for statement in [*MARTS_SQL.split(";"), *spoilers]:
                if statement.strip():
                    con.sql(statement)
        return path

    return make
