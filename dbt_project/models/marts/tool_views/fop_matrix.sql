-- The "FOP Matrix" page in long form: one row per FOP and capability it contains, with the
-- proficiency required (1 Awareness, 2 Practitioner, 3 Expert). fop_matrix_pivot shows the
-- same data as a grid for display.

with

fops as (
    select * from {{ ref('dim_fop') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

capabilities as (
    select * from {{ ref('dim_capability') }}
),

final as (
    select
        fops.cycle_id,
        fops.fop_key,
        fops.name as fop_name,
        proficiencies.capability_key,
        capabilities.statement as capability_statement,
        cast(proficiencies.proficiency as integer) as proficiency
    from proficiencies
    inner join fops on proficiencies.fop_key = fops.fop_key
    inner join capabilities on proficiencies.capability_key = capabilities.capability_key
)

select * from final
order by cycle_id, fop_name, capability_key
