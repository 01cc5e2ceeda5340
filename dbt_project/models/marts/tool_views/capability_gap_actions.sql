-- Each capability without adequate provision (its best match class is not 'match') assigned to
-- one of the report's three gap horizons by a fixed rule, first rule that applies wins:
--   R1 long-term new standard        no statement of a live standard (status not Retired or
--                                    Withdrawn) matches it even partially, and at least one
--                                    FOP needs it at Expert level (3)
--   R2 medium-term standard revision a live standard matches it partially (or better), and at
--                                    least one FOP needs it at Practitioner level (2) or above
--   R3 short-term CPD                every other gap: needed at most at Awareness level, or at
--                                    most at Practitioner level with no live provision at all
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
    where match_class in ('match', 'partial')
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
            when not has_live_partial and max_proficiency = 3 then 'R1'
            when has_live_partial and max_proficiency >= 2 then 'R2'
            else 'R3'
        end as rule_id
    from gap_facts
),

final as (
    select
        cycle_id,
        capability_key,
        capability_statement,
        match_class,
        best_similarity,
        case rule_id
            when 'R1' then 'long-term new standard'
            when 'R2' then 'medium-term standard revision'
            else 'short-term CPD'
        end as horizon,
        case rule_id
            when 'R1' then 'R1: no live standard matches it even partially; '
                || expert_count || ' of ' || fop_count || ' FOPs need it at Expert level'
            when 'R2' then 'R2: a live standard matches it partially; highest proficiency needed '
                || max_proficiency || ' (' || fop_count || ' FOPs)'
            else 'R3: highest proficiency needed ' || max_proficiency
                || case when has_live_partial then ', partial live provision'
                        else ', no live provision' end
                || ' (' || fop_count || ' FOPs)'
        end as horizon_rule,
        fops_needing,
        expert_fops
    from assigned
)

select * from final
order by cycle_id, horizon, capability_key
