with fops as (

    select * from {{ ref('int_fops') }}

),

final as (

    select
        fop_key,
        cycle_id,
        fop_id,
        name,
        description,
        is_priority,
        role_level_id,
        role_level_name,
        role_level_key,
        provenance
    from fops

)

select * from final
