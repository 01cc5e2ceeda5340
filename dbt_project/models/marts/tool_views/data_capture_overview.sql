-- The "Data Capture Overview" page: one row per cycle with the size of what the cycle captured
-- (capabilities, FOPs, partners, themes, distinct knowledge and skills tags), how its
-- capabilities match current provision (by the match class in capability_provision_status:
-- 'match', 'partial', 'none' = unmatched), and the distinct participating organisations in each
-- of the report's three participant categories (technology, industry, skills).

with

cycles as (
    select * from {{ ref('dim_cycle') }}
),

capabilities as (
    select * from {{ ref('dim_capability') }}
),

fops as (
    select * from {{ ref('dim_fop') }}
),

partners as (
    select * from {{ ref('dim_supply_chain_partner') }}
),

themes as (
    select * from {{ ref('dim_theme') }}
),

esco_tags as (
    select * from {{ source('matching', 'capability_esco_skill_tags') }}
),

provision_status as (
    select * from {{ ref('capability_provision_status') }}
),

participants as (
    select * from {{ ref('stg_cycles__participants') }}
),

capability_counts as (
    select
        cycle_id,
        count(*) as capabilities
    from capabilities
    group by cycle_id
),

fop_counts as (
    select
        cycle_id,
        count(*) as fops,
        count(*) filter (where is_priority) as priority_fops
    from fops
    group by cycle_id
),

partner_counts as (
    select
        cycle_id,
        count(*) as partners
    from partners
    group by cycle_id
),

theme_counts as (
    select
        cycle_id,
        count(*) as themes
    from themes
    group by cycle_id
),

tag_counts as (
    select
        capabilities.cycle_id,
        count(distinct esco_tags.esco_skill_uri)
        filter (where esco_tags.tag_type = 'knowledge') as knowledge_tags,
        count(distinct esco_tags.esco_skill_uri)
        filter (where esco_tags.tag_type = 'skill') as skills_tags
    from esco_tags
    inner join capabilities on esco_tags.capability_key = capabilities.capability_key
    group by capabilities.cycle_id
),

match_counts as (
    select
        cycle_id,
        count(*) filter (where match_class = 'match') as matched_capabilities,
        count(*) filter (where match_class = 'partial') as partial_capabilities,
        count(*) filter (where match_class = 'none') as unmatched_capabilities
    from provision_status
    group by cycle_id
),

participant_counts as (
    select
        cycle_id,
        count(distinct organisation)
        filter (where lower(category) like 'technolog%') as participants_technology,
        count(distinct organisation)
        filter (where lower(category) like 'industr%') as participants_industry,
        count(distinct organisation)
        filter (where lower(category) like 'skill%') as participants_skills
    from participants
    group by cycle_id
),

final as (
    select
        cycles.cycle_id,
        cycles.title as cycle_title,
        coalesce(capability_counts.capabilities, 0) as capabilities,
        coalesce(fop_counts.fops, 0) as fops,
        coalesce(fop_counts.priority_fops, 0) as priority_fops,
        coalesce(partner_counts.partners, 0) as partners,
        coalesce(theme_counts.themes, 0) as themes,
        coalesce(tag_counts.knowledge_tags, 0) as knowledge_tags,
        coalesce(tag_counts.skills_tags, 0) as skills_tags,
        coalesce(match_counts.matched_capabilities, 0) as matched_capabilities,
        coalesce(match_counts.partial_capabilities, 0) as partial_capabilities,
        coalesce(match_counts.unmatched_capabilities, 0) as unmatched_capabilities,
        coalesce(participant_counts.participants_technology, 0) as participants_technology,
        coalesce(participant_counts.participants_industry, 0) as participants_industry,
        coalesce(participant_counts.participants_skills, 0) as participants_skills
    from cycles
    left join capability_counts on cycles.cycle_id = capability_counts.cycle_id
    left join fop_counts on cycles.cycle_id = fop_counts.cycle_id
    left join partner_counts on cycles.cycle_id = partner_counts.cycle_id
    left join theme_counts on cycles.cycle_id = theme_counts.cycle_id
    left join tag_counts on cycles.cycle_id = tag_counts.cycle_id
    left join match_counts on cycles.cycle_id = match_counts.cycle_id
    left join participant_counts on cycles.cycle_id = participant_counts.cycle_id
)

select * from final
order by cycle_id
