-- For one capability, the five best standards with their evidence: the standard's best duty or
-- skill statement, its similarity, the mean of its three best, the shared terms and the standard's
-- alignment with the capability and with the cycle.
-- Run: wfh sql "$(cat docs/queries/capability_standard_match.sql)"
select
    rank,
    standard_reference || ' ' || standard_title as standard,
    route,
    coalesce(status_flag, 'approved') as status,
    best_statement,
    round(statement_similarity, 3) as similarity,
    round(top3_similarity, 3) as top3,
    match_class,
    shared_terms,
    round(alignment, 3) as alignment,
    round(cycle_alignment, 3) as cycle_alignment,
    round(score, 3) as score
from marts.capability_standard_match
where capability_statement ilike '%remote QP release%'
order by rank
limit 5;
