"""The marts gate (GX gate 2) on hand-made build files: good marts pass, each kind of bad mart is named."""

from __future__ import annotations

import duckdb
import pytest

from wfh.errors import QualityGateError
from wfh.quality import marts_checks, run_marts_gate


def _failed_names(result) -> list[str]:
    return [name.split(" observed ")[0] for name in result.failed_critical]


def test_good_marts_pass(make_marts_db, gx_context):
    result = run_marts_gate(make_marts_db(), "test-good-marts", context=gx_context)
    assert result.success and not result.failed_warnings
    assert {r.suite for r in result.results} == {c.suite for c in marts_checks()}


def test_proficiency_of_4_fails_the_gate(make_marts_db, gx_context):
    db = make_marts_db("update marts.fct_fop_capability_proficiency set proficiency = 4 "
                       "where capability_key = 'c1:cap-2'")
    with pytest.raises(QualityGateError) as caught:
        run_marts_gate(db, "test-proficiency-4", context=gx_context)
    assert ("marts.marts.fct_fop_capability_proficiency: expect_column_values_to_be_between(proficiency)"
            in str(caught.value))
    assert _failed_names(caught.value.result) == [
        "marts.marts.fct_fop_capability_proficiency: expect_column_values_to_be_between(proficiency)"]


# Each spoiler breaks a different mart; one build file holds them all (one gate run, each named).
SPOILERS = {
    "update marts.fop_standard_fit set fit = 1.25 where fop_key = 'c1:fop-1' and standard_key = 'ST0473_1.1'":
        "marts.marts.fop_standard_fit: expect_column_values_to_be_between(fit)",
    "update marts.fop_standard_fit set surplus = -0.1 where fop_key = 'c1:fop-2'":
        "marts.marts.fop_standard_fit: expect_column_values_to_be_between(surplus)",
    "update marts.fop_standard_fit set fit = null where fop_key = 'c1:fop-1' and standard_key = 'ST1406_1.0'":
        "marts.marts.fop_standard_fit: expect_column_values_to_not_be_null(fit)",
    "update matching.capability_provision_candidates set similarity = 1.5 where rank = 1":
        "marts.matching.capability_provision_candidates: expect_column_values_to_be_between(similarity)",
    "insert into marts.capability_provision_status "
    "select * from marts.capability_provision_status where capability_key = 'c1:cap-1'":
        "marts.marts.capability_provision_status: expect_column_values_to_be_unique(capability_key)",
    "delete from marts.capability_provision_status where capability_key = 'c1:cap-3'":
        "marts.check.capabilities_without_provision_status: expect_table_row_count_to_equal",
    "delete from marts.fct_fop_capability_proficiency where fop_key = 'c1:fop-2'":
        "marts.check.fops_without_capability: expect_table_row_count_to_equal",
}


def test_bad_marts_fail_the_gate_naming_each_expectation(make_marts_db, gx_context):
    result = run_marts_gate(make_marts_db(*SPOILERS), "test-bad-marts", context=gx_context,
                            raise_on_failure=False)
    assert not result.success
    assert sorted(_failed_names(result)) == sorted(SPOILERS.values())


def test_a_fop_the_report_rates_on_no_capability_is_a_warning(make_marts_db, gx_context):
    """The real report has one (a priority FOP only in its visualisation tool): recorded, not fatal."""
    db = make_marts_db(
        "insert into marts.dim_fop values ('c1:fop-9', 'c1', 'fop-9', 'FOP the report never rates')",
        "insert into marts.fop_standard_fit select 'c1', 'c1:fop-9', standard_key, 0, null, 1.0 "
        "from marts.dim_standard")
    result = run_marts_gate(db, "test-report-gap", context=gx_context)
    assert result.success
    assert [w.split(" observed ")[0] for w in result.failed_warnings] == [
        "marts.check.fops_without_capability_in_report: expect_table_row_count_to_equal"]


def test_a_new_cycle_without_provision_status_is_caught(make_marts_db, gx_context):
    db = make_marts_db("insert into marts.dim_cycle values ('c2', 'A second cycle')")
    result = run_marts_gate(db, "test-new-cycle", context=gx_context, raise_on_failure=False)
    failed = [r for r in result.results if r.suite == "marts.check.capabilities_without_provision_status"]
    assert failed[0].observed_value == "1" and not result.success


def test_missing_mart_fails_the_gate(make_marts_db, gx_context):
    db = make_marts_db("drop table marts.fop_standard_fit")
    result = run_marts_gate(db, "test-missing-mart", context=gx_context, raise_on_failure=False)
    names = _failed_names(result)
    assert "marts.inventory: expect_column_values_to_be_in_set(present)" in names
    assert "marts.marts.fop_standard_fit: frame_is_readable" in names


def test_report_disagreements_are_warnings_only(make_marts_db, gx_context):
    db = make_marts_db("update marts.report_reconciliation set agrees = false "
                       "where capability_key = 'c1:cap-1'")
    result = run_marts_gate(db, "test-disagreement", context=gx_context)
    assert result.success
    assert [w.split(" observed ")[0] for w in result.failed_warnings] == [
        "marts.marts.report_reconciliation: expect_column_values_to_be_in_set(agrees)"]


def test_gate_uses_a_callers_connection_and_leaves_it_open(make_marts_db, gx_context):
    """A caller holding the build file read-write passes its connection; it stays usable."""
    db = make_marts_db()
    with duckdb.connect(str(db)) as con:
        result = run_marts_gate(db, "test-own-connection", con=con, context=gx_context)
        assert result.success
        assert con.sql("select count(*) from marts.dim_capability").fetchall() == [(3,)]


def test_gate_closes_its_read_only_connection(make_marts_db, gx_context):
    """After the gate, the refresh can open the build file read-write to record the results."""
    db = make_marts_db()
    run_marts_gate(db, "test-closes", context=gx_context)
    with duckdb.connect(str(db)) as con:
        con.sql("create table marts.written_after_the_gate as select 1 as x")
