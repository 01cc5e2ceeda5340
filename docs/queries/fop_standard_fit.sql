-- Which standards best cover the Validation Engineer's capabilities, in the default order (approved
-- standards first, then fit combined with the standard's alignment to the FOP), and how much of
-- each standard would it not use? (fit and surplus are separate shares and may sum past 100%.)
-- Run: wfh sql "$(cat docs/queries/fop_standard_fit.sql)"
select
    rank,
    standard_reference,
    standard_title,
    standard_level,
    route,
    coalesce(status_flag, 'approved') as status,
    fop_capabilities_matched || ' of ' || fop_capabilities as capabilities_covered,
    round(fit, 3) as fit,
    round(surplus, 3) as surplus,
    round(alignment, 3) as alignment
from marts.fop_standard_fit
where fop_name ilike 'validation engineer' and fit > 0
order by rank
limit 10;
