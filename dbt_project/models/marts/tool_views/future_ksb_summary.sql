-- The "Future KSBs Summary" page: every capability with all its tags. Knowledge and skills tags
-- are the ESCO knowledge and skill/competence concepts the match step tagged the capability
-- with; O*NET tasks and DWAs are its linked O*NET task statements and detailed work
-- activities. Each list is '; '-joined in rank order (nearest first).

with

capabilities as (
    select * from {{ ref('dim_capability') }}
),

esco_tags as (
    select * from {{ source('matching', 'capability_esco_skill_tags') }}
),

esco_skills as (
    select * from {{ ref('dim_esco_skill') }}
),

onet_links as (
    select * from {{ source('matching', 'capability_onet_links') }}
),

onet_tasks as (
    select * from {{ ref('dim_onet_task') }}
),

onet_dwas as (
    select * from {{ ref('dim_onet_dwa') }}
),

tag_lists as (
    select
        esco_tags.capability_key,
        string_agg(esco_skills.preferred_label, '; ' order by esco_tags.rank)
        filter (where esco_tags.tag_type = 'knowledge') as knowledge_tags,
        string_agg(esco_skills.preferred_label, '; ' order by esco_tags.rank)
        filter (where esco_tags.tag_type = 'skill') as skills_tags
    from esco_tags
    inner join esco_skills on esco_tags.esco_skill_uri = esco_skills.esco_skill_uri
    group by esco_tags.capability_key
),

task_lists as (
    select
        onet_links.capability_key,
        string_agg(onet_tasks.task_text, '; ' order by onet_links.rank) as onet_tasks
    from onet_links
    inner join onet_tasks on cast(onet_links.target_id as varchar) = cast(onet_tasks.task_id as varchar)
    where onet_links.target_kind = 'task'
    group by onet_links.capability_key
),

dwa_lists as (
    select
        onet_links.capability_key,
        string_agg(onet_dwas.dwa_title, '; ' order by onet_links.rank) as onet_dwas
    from onet_links
    inner join onet_dwas on cast(onet_links.target_id as varchar) = onet_dwas.dwa_id
    where onet_links.target_kind = 'dwa'
    group by onet_links.capability_key
),

final as (
    select
        capabilities.cycle_id,
        capabilities.capability_key,
        capabilities.statement as capability_statement,
        tag_lists.knowledge_tags,
        tag_lists.skills_tags,
        task_lists.onet_tasks,
        dwa_lists.onet_dwas
    from capabilities
    left join tag_lists on capabilities.capability_key = tag_lists.capability_key
    left join task_lists on capabilities.capability_key = task_lists.capability_key
    left join dwa_lists on capabilities.capability_key = dwa_lists.capability_key
)

select * from final
order by cycle_id, capability_key
