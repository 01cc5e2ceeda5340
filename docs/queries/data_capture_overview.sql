-- How big is each cycle, and what share of its capabilities does current provision cover?
-- Run: wfh sql "$(cat docs/queries/data_capture_overview.sql)"
select
    cycle_title,
    capabilities,
    fops,
    priority_fops,
    matched_capabilities,
    partial_capabilities,
    unmatched_capabilities,
    round(100.0 * unmatched_capabilities / capabilities, 1) as pct_unmatched,
    participants_technology + participants_industry + participants_skills as participant_seats
from marts.data_capture_overview
order by cycle_id;
