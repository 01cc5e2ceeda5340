"""The dbt project itself: documented and contract-enforced marts, layering that lets the refresh build
staging + intermediate before the match step, dbt docs, the generated data dictionary, and failing
dbt tests that surface by name."""

from __future__ import annotations

import json

import duckdb
import pytest

from wfh.data_dictionary import generate, render
from wfh.dbt import DbtError, run_dbt

CORE_MARTS = {
    "dim_cycle",
    "dim_capability",
    "dim_fop",
    "dim_supply_chain_partner",
    "dim_theme",
    "dim_role_level",
    "dim_standard",
    "dim_provision_statement",
    "dim_ksb_item",
    "dim_esco_occupation",
    "dim_esco_skill",
    "dim_onet_occupation",
    "dim_onet_task",
    "dim_onet_dwa",
    "fct_fop_capability_proficiency",
    "bridge_capability_partner",
    "bridge_capability_theme",
    "bridge_esco_occupation_skill",
    "bridge_onet_task_dwa",
    "bridge_esco_onet_crosswalk",
}


@pytest.fixture(scope="module")
def manifest(docs_target):
    return json.loads((docs_target / "manifest.json").read_text())


@pytest.fixture(scope="module")
def catalog(docs_target):
    return json.loads((docs_target / "catalog.json").read_text())


def models(manifest) -> dict[str, dict]:
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}


def test_docs_generate_writes_a_self_contained_site(docs_target):
    assert (docs_target / "index.html").stat().st_size > 100_000
    assert (docs_target / "catalog.json").exists()


def test_every_core_mart_is_documented_with_an_enforced_contract(manifest, catalog):
    nodes = models(manifest)
    assert set(nodes) >= CORE_MARTS
    for name in sorted(CORE_MARTS):
        node = nodes[name]
        assert node["schema"] == "marts", name
        assert node["config"]["contract"]["enforced"], name
        assert node["description"].strip(), name
        built = set(catalog["nodes"][node["unique_id"]]["columns"])
        assert set(node["columns"]) == built, name
        for column, spec in node["columns"].items():
            assert spec["description"].strip(), f"{name}.{column} has no description"
            assert spec["data_type"], f"{name}.{column} has no data type"
        tests = [
            t
            for t in manifest["nodes"].values()
            if t["resource_type"] == "test" and t.get("attached_node") == node["unique_id"]
        ]
        assert {t["test_metadata"]["name"] for t in tests if t.get("test_metadata")} & {
            "unique",
            "unique_combination",
        }, name


def test_staging_and_intermediate_build_without_marts_or_the_match_step(manifest):
    """`dbt build --select staging intermediate` runs before the match step writes `matching`."""
    nodes = manifest["nodes"]
    for node in nodes.values():
        if node["resource_type"] != "model" or node["schema"] not in ("staging", "intermediate"):
            continue
        for parent in node["depends_on"]["nodes"]:
            if parent.startswith("model."):
                assert nodes[parent]["schema"] in ("staging", "intermediate"), (node["name"], parent)
            else:
                assert not parent.startswith("source.wfh_cube.matching."), (node["name"], parent)


def test_unit_tests_cover_the_non_trivial_sql(manifest):
    unit_tests = {u["name"]: u["model"] for u in manifest["unit_tests"].values()}
    assert unit_tests["test_summary_sentence_splitting"] == "int_summary_sentences"
    assert unit_tests["test_provision_statement_classification"] == "int_provision_statements"
    assert unit_tests["fit_and_surplus_are_separate_shares"] == "fop_standard_fit"
    assert unit_tests["alignment_blends_profile_and_occupation_alignment"] == "fop_standard_fit"
    assert unit_tests["capability_alignment_is_the_alignment_of_its_roles"] == "capability_standard_match"
    assert unit_tests["test_latest_approved_version_selection"] == "int_standard_versions"
    assert unit_tests["test_fops_conformed_across_cycles"] == "int_fops"
    assert unit_tests["test_capabilities_conformed_across_cycles"] == "int_capabilities"


def test_data_dictionary_lists_every_mart_and_column(docs_target, manifest, catalog, tmp_path):
    output = generate(docs_target, tmp_path / "data-dictionary.md")
    text = output.read_text()
    assert text == render(manifest, catalog)
    nodes = models(manifest)
    for name in CORE_MARTS:
        assert f"### `{name}`" in text
        for column in nodes[name]["columns"]:
            assert f"| `{column}` |" in text
    assert "| `standard_key` | varchar | Stable key `<reference_number>_<version>`" in text


def test_a_failing_dbt_test_fails_the_run_with_the_test_named(published_warehouse, warehouse_copy, tmp_path):
    """A label the model computes is dbt's to test (the proficiency itself is the landing gate's)."""
    db_path = warehouse_copy
    with duckdb.connect(str(db_path)) as con:
        con.sql(
            "update marts.fct_fop_capability_proficiency set proficiency_label = 'Guru' "
            "where fop_key = (select min(fop_key) from marts.fct_fop_capability_proficiency)"
        )
    with pytest.raises(DbtError) as failure:
        run_dbt(
            ["test", "--select", "fct_fop_capability_proficiency"],
            db_path=db_path,
            landing_dir=published_warehouse / "landing",
            target_path=tmp_path / "target",
        )
    failed = failure.value.result.failed_nodes
    assert [(n.resource_type, n.status) for n in failed] == [("test", "fail")]
    assert failed[0].name.startswith("accepted_values_fct_fop_capability_proficiency_proficiency_label_")
    message = str(failure.value)
    assert message.startswith("dbt test --select fct_fop_capability_proficiency failed: 1 node(s) failed")
    assert f"- test {failed[0].name} (fail): Got 1 result, configured to fail if != 0" in message


def test_dbt_that_cannot_start_reports_its_own_error(published_warehouse, tmp_path):
    with pytest.raises(DbtError, match="before running any node(.|\n)*no_such_target"):
        run_dbt(
            ["build", "--target", "no_such_target"],
            db_path=tmp_path / "wfh.duckdb",
            landing_dir=published_warehouse / "landing",
            target_path=tmp_path / "target",
        )
