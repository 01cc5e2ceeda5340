-- The "FOP Detail" page: each FOP with the capabilities it contains, the proficiency it needs in
-- each, and the capability's knowledge and skills tags ('; '-joined, as in future_ksb_summary).

with

fops as (
    select * from {{ ref('dim_fop') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

ksb_summary as (
    select * from {{ ref('future_ksb_summary') }}
),

final as (
    select
        fops.cycle_id,
        fops.fop_key,
        fops.name as fop_name,
        fops.is_priority,
        proficiencies.capability_key,
        ksb_summary.capability_statement,
        cast(proficiencies.proficiency as integer) as proficiency,
        proficiencies.proficiency_label,
        ksb_summary.knowledge_tags,
        ksb_summary.skills_tags
    from proficiencies
    inner join fops on proficiencies.fop_key = fops.fop_key
    inner join ksb_summary on proficiencies.capability_key = ksb_summary.capability_key
)

select * from final
order by cycle_id, fop_name, capability_key
