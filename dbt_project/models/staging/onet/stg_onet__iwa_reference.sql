with source as (

    select * from {{ source('onet', 'iwa_reference') }}

),

renamed as (

    select
        cast(iwa_id as varchar) as iwa_id,
        cast(iwa_title as varchar) as iwa_title,
        cast(element_id as varchar) as element_id,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
