with source as (

    select * from {{ source('esco', 'occupations') }}

),

renamed as (

    select
        cast(concept_uri as varchar) as esco_occupation_uri,
        cast(code as varchar) as esco_code,
        cast(isco_group as varchar) as isco_group_code,
        cast(concept_type as varchar) as concept_type,
        cast(preferred_label as varchar) as preferred_label,
        cast(alt_labels as varchar) as alt_labels,
        cast(hidden_labels as varchar) as hidden_labels,
        cast(status as varchar) as status,
        timezone('UTC', modified_date) as modified_at,
        cast(regulated_profession_note as varchar) as regulated_profession_note,
        cast(scope_note as varchar) as scope_note,
        cast(definition as varchar) as definition,
        cast(in_scheme as varchar) as in_scheme,
        cast(description as varchar) as description,
        _loaded_at
    from source

)

select * from renamed
