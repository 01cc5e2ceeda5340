with source as (

    select * from {{ source('cycles', 'role_levels') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(role_level_id as integer) as role_level_id,
        cast(name as varchar) as role_level_name,
        cast(description as varchar) as description,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
