-- Many-to-many: essential and optional ESCO skills per ESCO occupation. The 67 relations of the one
-- occupation that is not in the v1.1.1 release are left out here (they stay in staging, flagged).

with relations as (

    select * from {{ ref('stg_esco__occupation_skill_relations') }}

),

final as (

    select
        esco_occupation_uri,
        esco_skill_uri,
        relation_type,
        skill_type
    from relations
    where occupation_in_release

)

select * from final
