-- How many gaps fall in each horizon, and which long-term gaps need the most expert FOPs?
-- Run: wfh sql "$(cat docs/queries/capability_gap_actions.sql)"
select
    horizon,
    count(*) as capabilities,
    string_agg(capability_statement, ' | ' order by capability_key)
        filter (where horizon = 'long-term new standard') as long_term_capabilities
from marts.capability_gap_actions
group by horizon
order by horizon;
