with source as (

    select * from {{ source('skills_england', 'options') }}

),

renamed as (

    select
        {{ standard_key('reference_number', 'version') }} as standard_key,
        cast(reference_number as varchar) as reference_number,
        cast(version as varchar) as version,
        cast(option_id as varchar) as option_id,
        cast(title as varchar) as option_title,
        cast(occupation_code as varchar) as occupation_code,
        _loaded_at
    from source

)

select * from renamed
