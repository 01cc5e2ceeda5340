"""The landing gate (GX gate 1): real data passes; known-bad landing data fails and is named."""

from __future__ import annotations

import pytest

from wfh.errors import QualityGateError
from wfh.quality import CRITICAL, FINDING, landing_checks, landing_findings, run_landing_gate


def _failed(result, suite: str, expectation: str, column: str | None = None):
    """The failed results of one expectation (by suite, type and column)."""
    return [
        r
        for r in result.results
        if not r.success
        and r.suite == suite
        and r.expectation == expectation
        and (column is None or r.column_name == column)
    ]


@pytest.fixture(scope="module")
def real_result(real_landing, gx_context):
    return run_landing_gate(real_landing, "test-real-landing", context=gx_context)


def test_real_landing_passes_with_known_counts(real_result):
    assert real_result.success, real_result.failed_critical
    by_suite = {(r.suite, r.expectation): r for r in real_result.results}
    count = "expect_table_row_count_to_be_between"
    assert by_suite[("landing.skills_england.standards", count)].observed_value == "2170"
    assert by_suite[("landing.esco.skills", count)].observed_value == "13896"
    assert by_suite[("landing.onet.occupation_data", count)].observed_value == "1016"
    # every check and finding of the gate ran: one result set per suite, none of them unreadable
    assert {r.suite for r in real_result.results} == (
        {c.suite for c in landing_checks()} | {f.suite for f in landing_findings()}
    )
    assert not [r for r in real_result.results if r.expectation == "frame_is_readable"]


def _finding(result, name: str):
    (found,) = [r for r in result.results if r.suite == f"landing.finding.{name}"]
    assert found.success and found.severity == FINDING
    return found.observed_value


def test_real_landing_counts_the_known_quirks_as_findings_and_reads_passed(real_result):
    """Known quirks of the sources and the report are findings with counts, so nothing fails by design."""
    assert not real_result.failed_warnings
    assert "atmp-poc-2026:stated-capability-counts" in _finding(real_result, "report_findings")
    assert _finding(real_result, "report_findings").startswith("3 row(s)")
    # the 6 duty links to K/S/B items their standard does not list: kept in landing, counted
    assert _finding(real_result, "duty_ksb_links_to_missing_items").startswith("6 row(s)")
    assert _finding(real_result, "options_with_repeated_id").startswith("1 row(s)")
    assert _finding(real_result, "crosswalk_esco_code_unresolved").startswith("8 row(s)")
    assert _finding(real_result, "fops_without_proficiency").startswith("1 row(s)")
    assert len(real_result.findings) == len(landing_findings())


def test_real_referential_checks_pass_on_real_data(real_result):
    """The cross-table frames are computed in DuckDB over the real Parquet and validated by GX."""
    checks = {
        r.suite: r
        for r in real_result.results
        if r.suite
        in (
            "landing.check.esco_relations_to_unknown_skill",
            "landing.check.esco_relations_to_unknown_occupation",
            "landing.check.duty_ksb_links_with_wrong_code",
        )
    }
    assert len(checks) == 3
    assert all(r.success and r.observed_value == "0" and r.severity == CRITICAL for r in checks.values())


def test_small_real_subset_passes(landing_copy, gx_context):
    result = run_landing_gate(landing_copy, "test-subset", context=gx_context)
    assert result.success, result.failed_critical
    # an unknown source version is only checked to be non-empty, with a warning saying so
    assert any(
        w.startswith("landing.inventory: expect_column_values_to_be_in_set(row_counts_known)")
        for w in result.failed_warnings
    )


def test_duplicated_standard_version_fails_the_gate(landing_copy, gx_context, spoil):
    spoil(
        landing_copy,
        "skills_england",
        "standards",
        "select * from t union all (select * from t where reference_number = 'ST0473' limit 1)",
    )
    with pytest.raises(QualityGateError) as caught:
        run_landing_gate(landing_copy, "test-duplicate-standard", context=gx_context)
    message = str(caught.value)
    assert (
        "landing.skills_england.standards: expect_compound_columns_to_be_unique(reference_number, version)"
    ) in message
    result = caught.value.result
    assert not result.success
    failed = _failed(
        result, "landing.skills_england.standards", "expect_compound_columns_to_be_unique", "reference_number, version"
    )
    assert failed and "ST0473" in failed[0].observed_value


def test_proficiency_of_4_fails_the_gate(landing_copy, gx_context, spoil):
    spoil(
        landing_copy,
        "cycles",
        "fop_capability_proficiency",
        "select * replace (case when row_number() over () = 1 then 4 else proficiency end as proficiency) from t",
    )
    result = run_landing_gate(landing_copy, "test-proficiency", context=gx_context, raise_on_failure=False)
    assert not result.success
    failed = _failed(
        result, "landing.cycles.fop_capability_proficiency", "expect_column_values_to_be_between", "proficiency"
    )
    assert failed and failed[0].observed_value.startswith("1 of ") and "[4]" in failed[0].observed_value
    assert any(
        "fop_capability_proficiency: expect_column_values_to_be_between(proficiency)" in name
        for name in result.failed_critical
    )


def test_null_duty_text_fails_the_gate(landing_copy, gx_context, spoil):
    spoil(
        landing_copy,
        "skills_england",
        "duties",
        "select * replace (case when duty_number = 1 and reference_number = 'ST1406' then null "
        "else duty_detail end as duty_detail) from t",
    )
    result = run_landing_gate(landing_copy, "test-null-duty", context=gx_context, raise_on_failure=False)
    assert not result.success
    assert _failed(result, "landing.skills_england.duties", "expect_column_values_to_not_be_null", "duty_detail")
    assert result.failed_critical == [n for n in result.failed_critical if "duty_detail" in n]


def test_esco_relation_to_unknown_skill_fails_the_gate(landing_copy, gx_context, spoil):
    """A referential check across two tables: the orphan frame comes from DuckDB, GX counts it."""
    spoil(
        landing_copy,
        "esco",
        "occupation_skill_relations",
        "select * from t union all (select * replace ('http://data.europa.eu/esco/skill/not-a-skill' "
        "as skill_uri) from t where occupation_in_release limit 1)",
    )
    result = run_landing_gate(landing_copy, "test-unknown-skill", context=gx_context, raise_on_failure=False)
    failed = _failed(result, "landing.check.esco_relations_to_unknown_skill", "expect_table_row_count_to_equal")
    assert failed and failed[0].observed_value == "1"
    assert [n for n in result.failed_critical if n.startswith("landing.check.")] == [
        "landing.check.esco_relations_to_unknown_skill: expect_table_row_count_to_equal observed 1"
    ]


def test_missing_landing_table_fails_the_gate(landing_copy, gx_context):
    (landing_copy / "onet" / "current" / "job_zones.parquet").unlink()
    result = run_landing_gate(landing_copy, "test-missing-table", context=gx_context, raise_on_failure=False)
    assert not result.success
    assert _failed(result, "landing.inventory", "expect_column_values_to_be_in_set", "present")
    unreadable = _failed(result, "landing.onet.job_zones", "frame_is_readable")
    assert unreadable and "job_zones" in unreadable[0].observed_value


def test_a_gate_scoped_to_the_changed_sources_runs_only_their_checks(landing_copy, gx_context, spoil):
    """A refresh where only cycles changed validates the cycles' tables and the checks that read
    them (plus the inventory); the other sources' checks are not run (their files did not change)."""
    from wfh.quality.gates import sources_of

    spoil(landing_copy, "skills_england", "duties", "select * replace (null as duty_detail) from t")
    result = run_landing_gate(landing_copy, "test-scoped", context=gx_context, sources=["cycles"])
    assert result.success  # the spoiled duties were not validated in this run
    ran = {r.suite for r in result.results}
    assert "landing.inventory" in ran and "landing.cycles.capabilities" in ran
    assert "landing.check.capability_partners_unknown" in ran and "landing.finding.report_findings" in ran
    assert not {s for s in ran if s.startswith(("landing.skills_england.", "landing.esco.", "landing.onet."))}
    every = landing_checks() + landing_findings()
    assert ran == {c.suite for c in every if not sources_of(c) or "cycles" in sources_of(c)}
    assert sources_of(next(c for c in every if c.suite == "landing.check.crosswalk_uri_not_in_esco")) == {
        "esco",
        "esco_onet_crosswalk",
    }
    with pytest.raises(QualityGateError, match="duty_detail"):
        run_landing_gate(landing_copy, "test-scoped-se", context=gx_context, sources=["skills_england"])
