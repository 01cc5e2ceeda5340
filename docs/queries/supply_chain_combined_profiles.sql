-- An organisation works both in logistics and as a control site: how many capabilities does its
-- combined profile hold, and how many of them lack provision?
-- Run: wfh sql "$(cat docs/queries/supply_chain_combined_profiles.sql)"
select
    cycle_id,
    partner_combination,
    any_value(combination_capabilities) as capabilities,
    count(*) filter (where match_class = 'none') as without_provision,
    count(*) filter (where partners_needing like '%;%') as needed_by_both
from marts.supply_chain_combined_profiles
where partners_in_combination = 2
    and partner_combination ilike '%logistics%'
    and partner_combination ilike '%control site%'
group by cycle_id, partner_combination
order by cycle_id;
