with source as (

    select * from {{ source('cycles', 'glossary') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(term as varchar) as term,
        cast(definition as varchar) as definition,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
