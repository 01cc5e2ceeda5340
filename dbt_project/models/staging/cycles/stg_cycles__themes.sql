with source as (

    select * from {{ source('cycles', 'themes') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(theme_id as integer) as theme_id,
        cast(name as varchar) as theme_name,
        cast(description as varchar) as description,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
