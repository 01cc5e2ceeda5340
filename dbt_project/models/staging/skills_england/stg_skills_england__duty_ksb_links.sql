with source as (

    select * from {{ source('skills_england', 'duty_ksb_links') }}

),

renamed as (

    select
        {{ standard_key('reference_number', 'version') }} as standard_key,
        cast(reference_number as varchar) as reference_number,
        cast(version as varchar) as version,
        cast(duty_id as varchar) as duty_id,
        cast(ksb_type as varchar) as ksb_type,
        cast(ksb_id as varchar) as ksb_id,
        cast(ksb_code as varchar) as ksb_code,
        _loaded_at
    from source

)

select * from renamed
