with source as (

    select * from {{ source('onet', 'dwa_reference') }}

),

renamed as (

    select
        cast(dwa_id as varchar) as dwa_id,
        cast(dwa_title as varchar) as dwa_title,
        cast(iwa_id as varchar) as iwa_id,
        cast(element_id as varchar) as element_id,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
