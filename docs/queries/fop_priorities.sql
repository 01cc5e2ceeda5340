-- Which priority FOPs have the lowest best fit (the largest provision gap, to act on first)?
-- Run: wfh sql "$(cat docs/queries/fop_priorities.sql)"
select
    action_rank,
    fop_name,
    capabilities,
    unmatched_capabilities,
    round(best_fit, 3) as best_fit,
    best_fit_standard,
    round(surplus_at_best_fit, 3) as surplus_at_best_fit
from marts.fop_priorities
where is_priority and capabilities > 0
order by action_rank
limit 10;
