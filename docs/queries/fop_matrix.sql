-- Which FOPs need the most capabilities at Expert level?
-- Run: wfh sql "$(cat docs/queries/fop_matrix.sql)"
select
    fop_name,
    count(*) as capabilities,
    count(*) filter (where proficiency = 3) as expert,
    count(*) filter (where proficiency = 2) as practitioner,
    count(*) filter (where proficiency = 1) as awareness
from marts.fop_matrix
group by fop_name
order by expert desc, capabilities desc
limit 10;
