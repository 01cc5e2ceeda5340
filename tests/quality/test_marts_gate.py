"""The marts gate (GX gate 2) on hand-made build files: good marts pass, each kind of bad mart is named."""

from __future__ import annotations

import duckdb
import pytest

from wfh.errors import QualityGateError
from wfh.quality import FINDING, marts_checks, marts_findings, run_marts_gate


def _failed_names(result) -> list[str]:
    return [name.split(" observed ")[0] for name in result.failed_critical]


def _finding(result, name: str):
    (found,) = [r for r in result.results if r.suite == f"marts.finding.{name}"]
    assert found.success and found.severity == FINDING
    return found


def test_good_marts_pass(make_marts_db, gx_context):
    result = run_marts_gate(make_marts_db(), "test-good-marts", context=gx_context)
    assert result.success and not result.failed_warnings
    assert {r.suite for r in result.results} == (
        {c.suite for c in marts_checks()} | {f.suite for f in marts_findings()}
    )
    assert _finding(result, "report_disagreements").observed_value == "0 row(s)"


def test_invariants_dbt_tests_own_are_not_checked_twice(make_marts_db, gx_context):
    """A proficiency of 4 is dbt's to catch (accepted_values on fct_fop_capability_proficiency)."""
    db = make_marts_db(
        "update marts.fct_fop_capability_proficiency set proficiency = 4 where capability_key = 'c1:cap-2'"
    )
    assert run_marts_gate(db, "test-proficiency-4", context=gx_context).success
    assert not [
        c
        for c in marts_checks()
        if c.suite
        in (
            "marts.marts.fct_fop_capability_proficiency",
            "marts.marts.fop_priorities",
            "marts.marts.report_reconciliation",
            "marts.check.proficiency_unknown_fop_or_capability",
        )
    ]


def test_a_failed_critical_expectation_raises_naming_it(make_marts_db, gx_context):
    db = make_marts_db("update matching.capability_provision_candidates set match_class = 'maybe' where rank = 2")
    with pytest.raises(QualityGateError) as caught:
        run_marts_gate(db, "test-bad-class", context=gx_context)
    assert _failed_names(caught.value.result) == [
        "marts.matching.capability_provision_candidates: expect_column_values_to_be_in_set(match_class)"
    ]


# Each spoiler breaks a different mart; one build file holds them all (one gate run, each named).
SPOILERS = {
    "update marts.fop_standard_fit set surplus = null where fop_key = 'c1:fop-2'": (
        "marts.marts.fop_standard_fit: expect_column_values_to_not_be_null(surplus)"
    ),
    "update marts.fop_standard_fit set fit = null where fop_key = 'c1:fop-1' and standard_key = 'ST1406_1.0'": (
        "marts.marts.fop_standard_fit: expect_column_values_to_not_be_null(fit)"
    ),
    "update matching.capability_provision_candidates set similarity = 1.5 where rank = 1": (
        "marts.matching.capability_provision_candidates: expect_column_values_to_be_between(similarity)"
    ),
    "update marts.capability_provision_status set best_similarity = 1.2 where capability_key = 'c1:cap-1'": (
        "marts.marts.capability_provision_status: expect_column_values_to_be_between(best_similarity)"
    ),
    "update marts.capability_gap_actions set best_similarity = -1.5 where capability_key = 'c1:cap-2'": (
        "marts.marts.capability_gap_actions: expect_column_values_to_be_between(best_similarity)"
    ),
    "delete from marts.capability_provision_status where capability_key = 'c1:cap-3'": (
        "marts.check.capabilities_without_provision_status: expect_table_row_count_to_equal"
    ),
    "delete from marts.fct_fop_capability_proficiency where fop_key = 'c1:fop-2'": (
        "marts.check.fops_without_capability: expect_table_row_count_to_equal"
    ),
}


def test_bad_marts_fail_the_gate_naming_each_expectation(make_marts_db, gx_context):
    result = run_marts_gate(make_marts_db(*SPOILERS), "test-bad-marts", context=gx_context, raise_on_failure=False)
    assert not result.success
    assert sorted(_failed_names(result)) == sorted(SPOILERS.values())


def test_a_fop_the_report_rates_on_no_capability_is_a_finding(make_marts_db, gx_context):
    """The real report has one (a priority FOP only in its visualisation tool): recorded, not fatal."""
    db = make_marts_db(
        "insert into marts.dim_fop values ('c1:fop-9', 'c1', 'fop-9', 'FOP the report never rates')",
        "insert into marts.fop_standard_fit select 'c1', 'c1:fop-9', standard_key, 0, null, 1.0 "
        "from marts.dim_standard",
    )
    result = run_marts_gate(db, "test-report-gap", context=gx_context)
    assert result.success and not result.failed_warnings
    assert _finding(result, "fops_without_capability_in_report").observed_value.startswith("1 row(s)")
    assert "c1:fop-9" in _finding(result, "fops_without_capability_in_report").observed_value


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


def test_report_disagreements_are_findings_with_counts(make_marts_db, gx_context):
    db = make_marts_db("update marts.report_reconciliation set agrees = false where capability_key = 'c1:cap-1'")
    result = run_marts_gate(db, "test-disagreement", context=gx_context)
    assert result.success and not result.failed_warnings
    assert _finding(result, "report_disagreements").observed_value.startswith("1 row(s)")
    assert result.findings and "c1:cap-1" in result.findings[-1]


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
