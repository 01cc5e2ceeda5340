with occupations as (

    select * from {{ ref('stg_esco__occupations') }}

),

isco_groups as (

    select * from {{ ref('stg_esco__isco_groups') }}

),

research_collection as (

    select distinct esco_occupation_uri
    from {{ ref('stg_esco__occupation_collection_members') }}
    where collection = 'research'

),

final as (

    select
        occupations.esco_occupation_uri,
        occupations.esco_code,
        occupations.preferred_label,
        occupations.alt_labels,
        occupations.description,
        occupations.definition,
        occupations.scope_note,
        occupations.regulated_profession_note,
        occupations.isco_group_code,
        isco_groups.preferred_label as isco_group_label,
        occupations.status,
        occupations.modified_at,
        research_collection.esco_occupation_uri is not null as in_research_collection
    from occupations
    left join isco_groups on occupations.isco_group_code = isco_groups.isco_group_code
    left join research_collection on occupations.esco_occupation_uri = research_collection.esco_occupation_uri

)

select * from final
