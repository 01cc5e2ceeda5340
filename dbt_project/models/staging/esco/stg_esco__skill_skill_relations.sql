with source as (

    select * from {{ source('esco', 'skill_skill_relations') }}

),

renamed as (

    select
        cast(original_skill_uri as varchar) as original_skill_uri,
        cast(original_skill_type as varchar) as original_skill_type,
        cast(relation_type as varchar) as relation_type,
        cast(related_skill_type as varchar) as related_skill_type,
        cast(related_skill_uri as varchar) as related_skill_uri,
        _loaded_at
    from source

)

select * from renamed
