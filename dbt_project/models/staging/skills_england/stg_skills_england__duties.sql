with source as (

    select * from {{ source('skills_england', 'duties') }}

),

renamed as (

    select
        {{ standard_key('reference_number', 'version') }} as standard_key,
        cast(reference_number as varchar) as reference_number,
        cast(version as varchar) as version,
        cast(duty_id as varchar) as duty_id,
        cast(duty_number as integer) as duty_number,
        cast(duty_detail as varchar) as duty_detail,
        cast(is_core_duty as boolean) as is_core_duty,
        _loaded_at
    from source

)

select * from renamed
