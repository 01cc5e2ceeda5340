with source as (

    select * from {{ source('esco', 'skill_groups') }}

),

renamed as (

    select
        cast(concept_uri as varchar) as skill_group_uri,
        cast(code as varchar) as skill_group_code,
        cast(concept_type as varchar) as concept_type,
        cast(preferred_label as varchar) as preferred_label,
        cast(alt_labels as varchar) as alt_labels,
        cast(hidden_labels as varchar) as hidden_labels,
        cast(status as varchar) as status,
        timezone('UTC', modified_date) as modified_at,
        cast(scope_note as varchar) as scope_note,
        cast(in_scheme as varchar) as in_scheme,
        cast(description as varchar) as description,
        _loaded_at
    from source

)

select * from renamed
