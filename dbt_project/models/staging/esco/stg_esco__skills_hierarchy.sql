with source as (

    select * from {{ source('esco', 'skills_hierarchy') }}

),

renamed as (

    select
        cast(level_0_uri as varchar) as level_0_uri,
        cast(level_0_preferred_term as varchar) as level_0_preferred_term,
        cast(level_0_code as varchar) as level_0_code,
        cast(level_1_uri as varchar) as level_1_uri,
        cast(level_1_preferred_term as varchar) as level_1_preferred_term,
        cast(level_1_code as varchar) as level_1_code,
        cast(level_2_uri as varchar) as level_2_uri,
        cast(level_2_preferred_term as varchar) as level_2_preferred_term,
        cast(level_2_code as varchar) as level_2_code,
        cast(level_3_uri as varchar) as level_3_uri,
        cast(level_3_preferred_term as varchar) as level_3_preferred_term,
        cast(level_3_code as varchar) as level_3_code,
        cast(description as varchar) as description,
        cast(scope_note as varchar) as scope_note,
        _loaded_at
    from source

)

select * from renamed
