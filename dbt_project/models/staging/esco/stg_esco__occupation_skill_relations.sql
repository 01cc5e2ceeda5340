with source as (

    select * from {{ source('esco', 'occupation_skill_relations') }}

),

renamed as (

    select
        cast(occupation_uri as varchar) as esco_occupation_uri,
        cast(relation_type as varchar) as relation_type,
        cast(skill_type as varchar) as skill_type,
        cast(skill_uri as varchar) as esco_skill_uri,
        cast(occupation_in_release as boolean) as occupation_in_release,
        _loaded_at
    from source

)

select * from renamed
