-- Which capabilities are shared by the most FOPs (crossover capabilities to develop first), and
-- who needs them at Expert level?
-- Run: wfh sql "$(cat docs/queries/fop_distribution.sql)"
select
    capability_statement,
    fops_total,
    fops_awareness,
    fops_practitioner,
    fops_expert,
    expert_fops
from marts.fop_distribution
order by fops_total desc, fops_expert desc
limit 10;
