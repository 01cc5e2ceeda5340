-- Which expectations failed in the latest refresh, and how bad was it?
-- Run: wfh sql "$(cat docs/queries/quality_results.sql)"
select checkpoint, suite, expectation, column_name, severity, observed_value
from marts.quality_results
where run_id = (select run_id from marts.quality_results order by run_at desc limit 1)
    and not success
order by severity, suite, expectation;
