-- What can this cycle's data not tell (each gap with the cycle's own counts)?
-- Run: wfh sql "$(cat docs/queries/dashboard_data_gaps.sql)"
select
    cycle_id,
    topic,
    note
from marts.dashboard_data_gaps
order by cycle_id, topic;
