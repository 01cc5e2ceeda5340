-- When was the warehouse last refreshed successfully, from which source versions, and did any
-- run fail since?
-- Run: wfh sql "$(cat docs/queries/refresh_runs.sql)"
select
    run_id,
    started_at,
    date_diff('second', started_at, finished_at) as duration_s,
    status,
    quality_status,
    source_versions
from marts.refresh_runs
order by started_at desc
limit 10;
