with source as (

    select * from {{ source('cycles', 'fop_capability_proficiency') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(fop_id as varchar) as fop_id,
        cast(capability_id as varchar) as capability_id,
        cast(proficiency as integer) as proficiency,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
