-- Grain: one row per (FOP, capability) that the cycle rated. Join dim_fop, dim_capability, dim_cycle,
-- dim_role_level (through dim_fop.role_level_key), bridge_capability_partner and bridge_capability_theme.

with proficiency as (

    select * from {{ ref('int_fop_capability_proficiency') }}

),

fops as (

    select * from {{ ref('int_fops') }}

),

final as (

    select
        proficiency.fop_key,
        proficiency.capability_key,
        proficiency.cycle_id,
        fops.role_level_key,
        proficiency.proficiency,
        proficiency.proficiency_label
    from proficiency
    left join fops on proficiency.fop_key = fops.fop_key

)

select * from final
