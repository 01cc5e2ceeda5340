with source as (

    select * from {{ source('onet', 'alternate_titles') }}

),

renamed as (

    select
        cast(onet_soc_code as varchar) as onet_soc_code,
        cast(alternate_title as varchar) as alternate_title,
        cast(short_title as varchar) as short_title,
        cast(sources as varchar) as sources,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
