with source as (

    select * from {{ source('esco', 'skills') }}

),

renamed as (

    select
        cast(concept_uri as varchar) as esco_skill_uri,
        cast(concept_type as varchar) as concept_type,
        cast(skill_type as varchar) as skill_type,
        cast(reuse_level as varchar) as reuse_level,
        cast(preferred_label as varchar) as preferred_label,
        cast(alt_labels as varchar) as alt_labels,
        cast(hidden_labels as varchar) as hidden_labels,
        cast(status as varchar) as status,
        timezone('UTC', modified_date) as modified_at,
        cast(scope_note as varchar) as scope_note,
        cast(definition as varchar) as definition,
        cast(in_scheme as varchar) as in_scheme,
        cast(description as varchar) as description,
        _loaded_at
    from source

)

select * from renamed
