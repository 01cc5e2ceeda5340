-- The "FOP Distribution" page: for every capability, how many FOPs need it at each proficiency
-- level, and which ('; '-joined FOP names, alphabetical). Capabilities no FOP contains have
-- zero counts.

with

capabilities as (
    select * from {{ ref('dim_capability') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

fops as (
    select * from {{ ref('dim_fop') }}
),

fops_per_capability as (
    select
        proficiencies.capability_key,
        count(*) as fops_total,
        count(*) filter (where proficiencies.proficiency = 1) as fops_awareness,
        count(*) filter (where proficiencies.proficiency = 2) as fops_practitioner,
        count(*) filter (where proficiencies.proficiency = 3) as fops_expert,
        string_agg(fops.name, '; ' order by fops.name)
        filter (where proficiencies.proficiency = 1) as awareness_fops,
        string_agg(fops.name, '; ' order by fops.name)
        filter (where proficiencies.proficiency = 2) as practitioner_fops,
        string_agg(fops.name, '; ' order by fops.name)
        filter (where proficiencies.proficiency = 3) as expert_fops
    from proficiencies
    inner join fops on proficiencies.fop_key = fops.fop_key
    group by proficiencies.capability_key
),

final as (
    select
        capabilities.cycle_id,
        capabilities.capability_key,
        capabilities.statement as capability_statement,
        coalesce(fops_per_capability.fops_total, 0) as fops_total,
        coalesce(fops_per_capability.fops_awareness, 0) as fops_awareness,
        coalesce(fops_per_capability.fops_practitioner, 0) as fops_practitioner,
        coalesce(fops_per_capability.fops_expert, 0) as fops_expert,
        fops_per_capability.awareness_fops,
        fops_per_capability.practitioner_fops,
        fops_per_capability.expert_fops
    from capabilities
    left join fops_per_capability
        on capabilities.capability_key = fops_per_capability.capability_key
)

select * from final
order by cycle_id, capability_key
