-- Which supply-chain partner has the most capabilities without provision?
-- (An organisation active in several partner areas: keep `where partner_name in (...)` and count
-- distinct capability_key, or read marts.supply_chain_combined_profiles.)
-- Run: wfh sql "$(cat docs/queries/supply_chain_capabilities.sql)"
select
    cycle_id,
    partner_name,
    count(*) as capabilities,
    count(*) filter (where match_class = 'none') as without_provision,
    count(*) filter (where match_class = 'partial') as partial_only,
    round(100.0 * count(*) filter (where match_class = 'none') / count(*), 1) as pct_without_provision
from marts.supply_chain_capabilities
group by cycle_id, partner_name
order by without_provision desc, capabilities desc;
