"""One contract per landing source (raw/sources.yml next to the version; cycles: wfh/cycles/schema.py):
the parsers' output, the GX landing suites and every dbt staging ``__sources.yml`` agree with it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polars as pl
import pytest
import yaml

from wfh.contracts import LOADED_AT, check_tables, contract, contracts, polars_type, type_name
from wfh.errors import InputError
from wfh.quality import landing_checks, row_count_range
from wfh.sources import load_manifest

ROOT = Path(__file__).resolve().parents[2]
STAGING = ROOT / "dbt_project" / "models" / "staging"
REFERENCE_SOURCES = ["skills_england", "esco", "onet", "esco_onet_crosswalk"]


def _sources_yml(source: str) -> dict:
    (entry,) = yaml.safe_load((STAGING / source / "__sources.yml").read_text())["sources"]
    return entry


def test_every_landing_source_has_one_contract():
    assert list(contracts()) == [*REFERENCE_SOURCES, "cycles"]
    manifest = {e["id"]: e for e in load_manifest()["sources"]}
    for source in REFERENCE_SOURCES:
        assert contract(source).version == str(manifest[source]["version"])
    assert contract("skills_england").table("standards").key == ("reference_number", "version")
    assert contract("esco").table("skills").rows == 13896
    assert contract("cycles").table("fop_capability_proficiency").key == ("cycle_id", "fop_id", "capability_id")


def sources_yml_problems(source: str, entry: dict) -> list[str]:
    """How a staging ``__sources.yml`` entry disagrees with the source's landing contract."""
    wanted = contract(source).tables
    problems = []
    if [t["name"] for t in entry["tables"]] != list(wanted):
        problems.append(f"{source}: tables {[t['name'] for t in entry['tables']]} != contract {list(wanted)}")
    for table in entry["tables"]:
        if table["name"] not in wanted:
            continue
        columns = {**wanted[table["name"]].columns, LOADED_AT: polars_type("Datetime")}
        for column in table.get("columns") or []:
            if column["name"] not in columns:
                problems.append(f"{source}.{table['name']}: column {column['name']} is not in the contract")
            elif column.get("data_type") and column["data_type"] != type_name(columns[column["name"]]):
                problems.append(f"{source}.{table['name']}.{column['name']}: type {column['data_type']}")
    if not entry["config"]["meta"]["external_location"].endswith(f"/{source}/current/{{name}}.parquet"):
        problems.append(f"{source}: external_location does not read the landed Parquet")
    return problems


@pytest.mark.parametrize("source", [*REFERENCE_SOURCES, "cycles"])
def test_dbt_sources_yml_agrees_with_the_contract(source):
    """Same tables in the same order; every column the yml names exists in the contract (with its type)."""
    assert sources_yml_problems(source, _sources_yml(source)) == []


def test_a_yml_that_disagrees_is_caught():
    entry = _sources_yml("onet")
    entry["tables"][0]["columns"] = [{"name": "not_a_column"}]
    entry["tables"].append({"name": "not_a_table"})
    assert sources_yml_problems("onet", entry) == [
        "onet: tables "
        + str([*contract("onet").tables, "not_a_table"])
        + " != contract "
        + str(list(contract("onet").tables)),
        "onet.occupation_data: column not_a_column is not in the contract",
    ]


def test_gx_landing_suites_derive_from_the_contract():
    suites = {c.suite: c for c in landing_checks()}
    for source, found in contracts().items():
        for name, table in found.tables.items():
            expectations = suites[f"landing.{source}.{name}"].expectations()
            (columns,) = [e for e in expectations if type(e).__name__ == "ExpectTableColumnsToMatchSet"]
            assert set(columns.column_set) == {*table.columns, LOADED_AT}
            if table.key:
                assert any(
                    getattr(e, "column_list", None) == list(table.key)
                    or (
                        len(table.key) == 1
                        and getattr(e, "column", None) == table.key[0]
                        and type(e).__name__ == "ExpectColumnValuesToBeUnique"
                    )
                    for e in expectations
                )
    assert row_count_range("onet", contract("onet").version, "occupation_data") == (1016, 1016)
    assert row_count_range("onet", "another-version", "occupation_data") == (1, None)


def test_parser_output_that_differs_from_the_contract_is_an_input_error():
    table = contract("esco_onet_crosswalk").table("crosswalk")
    good = {"crosswalk": table.empty()}
    check_tables("esco_onet_crosswalk", good)
    with pytest.raises(InputError, match=r"crosswalk\.parquet.*field esco_code.*Int64 differs"):
        check_tables(
            "esco_onet_crosswalk", {"crosswalk": table.empty().with_columns(pl.col("esco_code").cast(pl.Int64))}
        )
    with pytest.raises(InputError, match=r"missing \['uri_resolved_by'\]"):
        check_tables("esco_onet_crosswalk", {"crosswalk": table.empty().drop("uri_resolved_by")})
    with pytest.raises(InputError, match="differ from the contract"):
        check_tables("esco_onet_crosswalk", {})


def test_each_source_version_is_written_in_one_place():
    """A version bump is one edit of raw/sources.yml plus data: no code, model or hand-kept doc repeats it
    (generated files, the licence attributions and prose mentions in docstrings aside)."""
    versions = {s: c.version for s, c in contracts().items() if c.version}
    versions["onet (Excel release)"] = contract("onet").table("skills").release
    tracked = subprocess.run(
        ["git", "ls-files", "wfh", "flows", "dashboard", "dbt_project", "docs/architecture.md", "docs/quality.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = []
    for name in tracked:
        path = ROOT / name
        if path.suffix not in (".py", ".sql", ".yml", ".md") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for source, version in versions.items():
            # a quoted literal or a `code` span: the version as data, not prose
            if re.search(rf"['\"`]{re.escape(version)}['\"`]", text):
                found.append(f"{name}: {source} {version}")
    assert found == []


def _landing_columns_of(sql: str, landing_columns: set[str]) -> dict[str, set[str]]:
    """Staging column -> the landing columns its select expression reads (``<expr> as <name>`` lines)."""
    found = {}
    for expression, name in re.findall(r"^\s*(.+?)\s+as\s+(\w+),?\s*$", sql, re.MULTILINE):
        found[name] = {word for word in re.findall(r"\w+", expression) if word in landing_columns}
    for column in landing_columns:  # passed through under its own name (``select *`` or a bare column)
        found.setdefault(column, {column})
    return found


def _key_tests(model: dict) -> list[list[str]]:
    """The column lists a staging model's ``unique`` and ``unique_combination`` tests state."""
    tests = model.get("data_tests") or []
    keys = [t["unique_combination"]["arguments"]["columns"] for t in tests if "unique_combination" in t]
    return keys + [[c["name"]] for c in model.get("columns") or [] if "unique" in (c.get("data_tests") or [])]


def test_no_staging_test_rechecks_a_landing_key():
    """One owner per invariant (docs/quality.md): the GX landing gate checks each landed table's contract
    key before dbt runs, so a staging model (a typed rename of that table) does not test it again."""
    rechecks = []
    for source, source_contract in contracts().items():
        for table in source_contract.tables.values():
            model = STAGING / source / f"stg_{source}__{table.name}"
            if not table.key or not model.with_suffix(".yml").is_file():
                continue
            columns = _landing_columns_of(model.with_suffix(".sql").read_text(), set(table.columns))
            (spec,) = yaml.safe_load(model.with_suffix(".yml").read_text())["models"]
            for key in _key_tests(spec):
                if set().union(*(columns.get(c, {c}) for c in key)) == set(table.key):
                    rechecks.append(f"{model.name}: {key} is the landing key {list(table.key)}")
    assert not rechecks, rechecks


def test_the_key_recheck_detector_sees_a_renamed_and_a_derived_key():
    sql = """select
        {{ standard_key('reference_number', 'version') }} as standard_key,
        cast(concept_uri as varchar) as skill_uri,
    from source"""
    columns = _landing_columns_of(sql, {"reference_number", "version", "concept_uri", "title"})
    assert columns["standard_key"] == {"reference_number", "version"}
    assert columns["skill_uri"] == {"concept_uri"} and columns["title"] == {"title"}
