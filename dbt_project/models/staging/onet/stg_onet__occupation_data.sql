with source as (

    select * from {{ source('onet', 'occupation_data') }}

),

renamed as (

    select
        cast(onet_soc_code as varchar) as onet_soc_code,
        cast(title as varchar) as title,
        cast(description as varchar) as description,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
