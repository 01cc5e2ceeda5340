with themes as (

    select * from {{ ref('int_themes') }}

),

final as (

    select
        theme_key,
        cycle_id,
        theme_id,
        name,
        description,
        provenance
    from themes

)

select * from final
