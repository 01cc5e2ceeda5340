with source as (

    select * from {{ source('esco', 'occupation_collection_members') }}

),

renamed as (

    select
        cast(collection as varchar) as collection,
        cast(concept_uri as varchar) as esco_occupation_uri,
        cast(concept_type as varchar) as concept_type,
        cast(preferred_label as varchar) as preferred_label,
        cast(status as varchar) as status,
        cast(alt_labels as varchar) as alt_labels,
        cast(description as varchar) as description,
        cast(broader_concept_uri as varchar) as broader_concept_uri,
        cast(broader_concept_pt as varchar) as broader_concept_label,
        _loaded_at
    from source

)

select * from renamed
