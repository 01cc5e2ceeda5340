with source as (

    select * from {{ source('cycles', 'supply_chain_partners') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(partner_id as varchar) as partner_id,
        cast(partner_number as integer) as partner_number,
        cast(name as varchar) as partner_name,
        cast(description as varchar) as description,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
