with source as (

    select * from {{ source('onet', 'scales_reference') }}

),

renamed as (

    select
        cast(scale_id as varchar) as scale_id,
        cast(scale_name as varchar) as scale_name,
        cast(minimum as double) as minimum,
        cast(maximum as double) as maximum,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
