-- Many-to-many: the official ESCO -> O*NET-SOC 2019 crosswalk. ESCO occupation rows carry the
-- occupation's URI; ISCO group rows map a whole 4-digit ISCO group (esco_occupation_uri is null).

with crosswalk as (

    select * from {{ ref('stg_esco_onet_crosswalk__crosswalk') }}

),

final as (

    select
        esco_code || '|' || onet_soc_code as crosswalk_key,
        esco_code,
        esco_title,
        code_kind,
        esco_occupation_uri,
        isco_group_code,
        onet_soc_code,
        onet_soc_title
    from crosswalk

)

select * from final
