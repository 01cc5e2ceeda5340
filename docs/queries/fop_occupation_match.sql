-- Which European and US occupations resemble the Chief Pharmacist, and do the two frameworks agree?
-- Run: wfh sql "$(cat docs/queries/fop_occupation_match.sql)"
select
    framework,
    rank,
    occupation_label,
    round(similarity, 3) as similarity,
    crosswalk_partner_rank
from marts.fop_occupation_match
where fop_name = 'Chief Pharmacist' and rank <= 5
order by framework, rank;
