with source as (

    select * from {{ source('esco', 'concept_schemes') }}

),

renamed as (

    select
        cast(concept_scheme_uri as varchar) as concept_scheme_uri,
        cast(concept_type as varchar) as concept_type,
        cast(preferred_label as varchar) as preferred_label,
        cast(title as varchar) as title,
        cast(status as varchar) as status,
        cast(description as varchar) as description,
        cast(has_top_concept as varchar) as has_top_concept,
        _loaded_at
    from source

)

select * from renamed
