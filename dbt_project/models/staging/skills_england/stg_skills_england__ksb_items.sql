with source as (

    select * from {{ source('skills_england', 'ksb_items') }}

),

renamed as (

    select
        {{ standard_key('reference_number', 'version') }} as standard_key,
        cast(reference_number as varchar) as reference_number,
        cast(version as varchar) as version,
        cast(ksb_type as varchar) as ksb_type,
        cast(ksb_id as varchar) as ksb_id,
        cast(ksb_code as varchar) as ksb_code,
        cast(position as integer) as position,
        cast(detail as varchar) as detail,
        _loaded_at
    from source

)

select * from renamed
