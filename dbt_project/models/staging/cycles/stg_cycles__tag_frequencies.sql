with source as (

    select * from {{ source('cycles', 'tag_frequencies') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(tag_type as varchar) as tag_type,
        cast(rank as integer) as tag_rank,
        cast(tag as varchar) as tag,
        cast(frequency as integer) as frequency,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
