-- For the Qualified Person: which of its capabilities have the fewest matching statements, and
-- what is the closest statement for each?
-- Run: wfh sql "$(cat docs/queries/fop_capability_matches.sql)"
select
    capability_statement,
    proficiency,
    matches,
    any_value(standard_title order by similarity desc) as closest_standard,
    round(max(similarity), 3) as best_similarity
from marts.fop_capability_matches
where fop_name ilike 'qualified person'
group by capability_key, capability_statement, proficiency, matches
order by matches, proficiency desc;
