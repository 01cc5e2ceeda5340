with source as (

    select * from {{ source('esco', 'isco_groups') }}

),

renamed as (

    select
        cast(concept_uri as varchar) as isco_group_uri,
        cast(code as varchar) as isco_group_code,
        cast(concept_type as varchar) as concept_type,
        cast(preferred_label as varchar) as preferred_label,
        cast(status as varchar) as status,
        cast(alt_labels as varchar) as alt_labels,
        cast(in_scheme as varchar) as in_scheme,
        cast(description as varchar) as description,
        _loaded_at
    from source

)

select * from renamed
