-- Which standards cover most of the Validation Engineer's capabilities, and how much of each
-- standard would it not use? (fit and surplus are separate shares and may sum past 100%.)
-- Run: wfh sql "$(cat docs/queries/fop_standard_fit.sql)"
select
    standard_reference,
    standard_title,
    standard_level,
    standard_status,
    fop_capabilities_matched || ' of ' || fop_capabilities as capabilities_covered,
    round(fit, 3) as fit,
    round(surplus, 3) as surplus
from marts.fop_standard_fit
where fop_name ilike 'validation engineer' and fit > 0
order by fit desc, surplus
limit 10;
