with source as (

    select * from {{ source('cycles', 'fops') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(fop_id as varchar) as fop_id,
        cast(name as varchar) as fop_name,
        cast(description as varchar) as description,
        cast(is_priority as boolean) as is_priority,
        cast(role_level_id as integer) as role_level_id,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
