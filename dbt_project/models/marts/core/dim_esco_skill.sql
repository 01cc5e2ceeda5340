with skills as (

    select * from {{ ref('stg_esco__skills') }}

),

collections as (

    select
        esco_skill_uri,
        bool_or(collection = 'digital') as in_digital_collection,
        bool_or(collection = 'green') as in_green_collection,
        bool_or(collection = 'transversal') as in_transversal_collection,
        bool_or(collection = 'digcomp') as in_digcomp_collection,
        bool_or(collection = 'language') as in_language_collection,
        bool_or(collection = 'research') as in_research_collection
    from {{ ref('stg_esco__skill_collection_members') }}
    group by esco_skill_uri

),

final as (

    select
        skills.esco_skill_uri,
        skills.preferred_label,
        skills.alt_labels,
        skills.description,
        skills.definition,
        skills.scope_note,
        skills.skill_type,
        case
            when skills.skill_type = 'knowledge' then 'knowledge'
            when skills.skill_type = 'skill/competence' then 'skill'
        end as tag_type,
        skills.reuse_level,
        skills.status,
        skills.modified_at,
        coalesce(collections.in_digital_collection, false) as in_digital_collection,
        coalesce(collections.in_green_collection, false) as in_green_collection,
        coalesce(collections.in_transversal_collection, false) as in_transversal_collection,
        coalesce(collections.in_digcomp_collection, false) as in_digcomp_collection,
        coalesce(collections.in_language_collection, false) as in_language_collection,
        coalesce(collections.in_research_collection, false) as in_research_collection
    from skills
    left join collections on skills.esco_skill_uri = collections.esco_skill_uri

)

select * from final
