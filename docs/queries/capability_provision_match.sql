-- Which current standards (Approved for delivery) hold the statements that best match the
-- capability about in-line monitoring with process analytical technology (PAT)?
-- Run: wfh sql "$(cat docs/queries/capability_provision_match.sql)"
select
    rank,
    standard_reference,
    standard_title,
    standard_level,
    statement_kind,
    round(similarity, 3) as similarity,
    match_class,
    statement_text
from marts.capability_provision_match
where capability_statement ilike '%process analytical%'
    and standard_status = 'Approved for delivery'
order by capability_key, rank;
