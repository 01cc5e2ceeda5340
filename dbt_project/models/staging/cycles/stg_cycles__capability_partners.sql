with source as (

    select * from {{ source('cycles', 'capability_partners') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(capability_id as varchar) as capability_id,
        cast(partner_id as varchar) as partner_id,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
