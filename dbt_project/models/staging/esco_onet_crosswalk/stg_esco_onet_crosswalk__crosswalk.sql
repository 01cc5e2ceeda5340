with source as (

    select * from {{ source('esco_onet_crosswalk', 'crosswalk') }}

),

renamed as (

    select
        cast(esco_code as varchar) as esco_code,
        cast(esco_title as varchar) as esco_title,
        cast(onet_soc_code as varchar) as onet_soc_code,
        cast(onet_soc_title as varchar) as onet_soc_title,
        cast(code_kind as varchar) as code_kind,
        cast(esco_occupation_uri as varchar) as esco_occupation_uri,
        cast(isco_group_code as varchar) as isco_group_code,
        cast(uri_resolved_by as varchar) as uri_resolved_by,
        _loaded_at
    from source

)

select * from renamed
