with source as (

    select * from {{ source('esco', 'broader_relations_skill_pillar') }}

),

renamed as (

    select
        cast(concept_type as varchar) as concept_type,
        cast(concept_uri as varchar) as concept_uri,
        cast(broader_type as varchar) as broader_type,
        cast(broader_uri as varchar) as broader_uri,
        _loaded_at
    from source

)

select * from renamed
