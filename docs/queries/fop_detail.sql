-- What must a Validation Engineer be expert in, and which knowledge tags support it?
-- Run: wfh sql "$(cat docs/queries/fop_detail.sql)"
select
    fop_name,
    proficiency_label,
    capability_statement,
    knowledge_tags
from marts.fop_detail
where fop_name ilike 'validation engineer'
order by proficiency desc, capability_key;
