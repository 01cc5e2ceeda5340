-- Many-to-many: the theme(s) of each capability, as assigned by the match step (semantic) or given by
-- the cycle bundle.

with capability_theme as (

    select * from {{ source('matching', 'capability_theme') }}

),

capabilities as (

    select * from {{ ref('int_capabilities') }}

),

final as (

    select
        capability_theme.capability_key,
        capability_theme.theme_key,
        capabilities.cycle_id,
        cast(capability_theme.similarity as double) as similarity,
        capability_theme.method
    from capability_theme
    inner join capabilities on capability_theme.capability_key = capabilities.capability_key

)

select * from final
