with source as (

    select * from {{ source('onet', 'technology_skills') }}

),

renamed as (

    select
        cast(onet_soc_code as varchar) as onet_soc_code,
        cast(example as varchar) as example,
        cast(commodity_code as integer) as commodity_code,
        cast(commodity_title as varchar) as commodity_title,
        cast(hot_technology as varchar) as hot_technology,
        cast(in_demand as varchar) as in_demand,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
