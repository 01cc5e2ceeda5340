with source as (

    select * from {{ source('cycles', 'participants') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(category as varchar) as category,
        cast(organisation as varchar) as organisation,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
