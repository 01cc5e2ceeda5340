-- Which capabilities have no ESCO knowledge tag at all (where educators get no scaffold)?
-- Run: wfh sql "$(cat docs/queries/future_ksb_summary.sql)"
select
    capability_key,
    capability_statement,
    skills_tags,
    onet_dwas
from marts.future_ksb_summary
where knowledge_tags is null
order by capability_key;
