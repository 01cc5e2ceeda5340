with source as (

    select * from {{ source('onet', 'content_model_reference') }}

),

renamed as (

    select
        cast(element_id as varchar) as element_id,
        cast(element_name as varchar) as element_name,
        cast(description as varchar) as description,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
