with source as (

    select * from {{ source('cycles', 'capabilities') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(capability_id as varchar) as capability_id,
        cast(statement as varchar) as statement,
        cast(highlight_number as integer) as highlight_number,
        cast(reason_to_highlight as varchar) as reason_to_highlight,
        cast(in_appendix_a as boolean) as in_appendix_a,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
