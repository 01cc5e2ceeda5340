-- Each capability without adequate provision (its best match class is not 'match') assigned to
-- one of the report's three gap horizons from the evidence the cycle has, first rule that applies
-- wins (the reason is said in plain words in horizon_reason):
--   no FOP data                      no FOP of the cycle lists the capability, so the proficiency it
--                                    needs is unknown and no horizon can be judged
--   long-term new standard           no statement of a live standard (status not Retired or
--                                    Withdrawn) matches it even partially, and at least one
--                                    FOP needs it at Expert level (3)
--   medium-term standard revision    a live standard matches it partially (or better), and at
--                                    least one FOP needs it at Practitioner level (2) or above
--   short-term CPD                   every other gap listed by a FOP: needed at most at Awareness
--                                    level, or at most at Practitioner level with no live provision
-- fops_needing lists the FOPs that contain the capability with their proficiency; expert_fops
-- those that need it at Expert level.

with

provision_status as (
    select * from {{ ref('capability_provision_status') }}
),

matches as (
    select * from {{ ref('capability_provision_match') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

fops as (
    select * from {{ ref('dim_fop') }}
),

gaps as (
    select *
    from provision_status
    where match_class <> 'match'
),

live_partial_matches as (
    select
        capability_key,
        count(*) as live_partial_statements
    from matches
    where
        match_class in ('match', 'partial')
        and standard_status not in ('Retired', 'Withdrawn')
    group by capability_key
),

fop_needs as (
    select
        proficiencies.capability_key,
        count(*) as fop_count,
        count(*) filter (where proficiencies.proficiency = 3) as expert_count,
        max(proficiencies.proficiency) as max_proficiency,
        string_agg(fops.name || ' (' || proficiencies.proficiency || ')', '; ' order by fops.name)
            as fops_needing,
        string_agg(fops.name, '; ' order by fops.name)
        filter (where proficiencies.proficiency = 3) as expert_fops
    from proficiencies
    inner join fops on proficiencies.fop_key = fops.fop_key
    group by proficiencies.capability_key
),

gap_facts as (
    select
        gaps.*,
        coalesce(live_partial_matches.live_partial_statements, 0) > 0 as has_live_partial,
        coalesce(fop_needs.fop_count, 0) as fop_count,
        coalesce(fop_needs.expert_count, 0) as expert_count,
        coalesce(fop_needs.max_proficiency, 0) as max_proficiency,
        fop_needs.fops_needing,
        fop_needs.expert_fops
    from gaps
    left join live_partial_matches on gaps.capability_key = live_partial_matches.capability_key
    left join fop_needs on gaps.capability_key = fop_needs.capability_key
),

assigned as (
    select
        *,
        case
            when fop_count = 0 then 'no FOP data'
            when not has_live_partial and max_proficiency = 3 then 'long-term new standard'
            when has_live_partial and max_proficiency >= 2 then 'medium-term standard revision'
            else 'short-term CPD'
        end as horizon
    from gap_facts
),

final as (
    select
        cycle_id,
        capability_key,
        capability_statement,
        match_class,
        best_similarity,
        horizon,
        case horizon
            when 'no FOP data'
                then
                    'No FOP in this cycle''s data lists this capability, so the proficiency it needs is unknown'
            when 'long-term new standard'
                then
                    'No current standard covers it even partly, and ' || expert_count || ' of ' || fop_count
                    || case when fop_count = 1 then ' FOP needs' else ' FOPs need' end || ' it at Expert level'
            when 'medium-term standard revision'
                then
                    'A current standard covers it partly; ' || fop_count
                    || case when fop_count = 1 then ' FOP needs' else ' FOPs need' end || ' it at up to '
                    || case max_proficiency when 3 then 'Expert' else 'Practitioner' end || ' level'
            else
                'Needed at most at ' || case max_proficiency when 1 then 'Awareness' else 'Practitioner' end
                || ' level (' || fop_count || case when fop_count = 1 then ' FOP' else ' FOPs' end || ')'
                || case
                    when has_live_partial then ', and a current standard covers it partly'
                    else ', and no current standard covers it'
                end
        end as horizon_reason,
        fops_needing,
        expert_fops
    from assigned
)

select * from final
order by cycle_id, horizon, capability_key
