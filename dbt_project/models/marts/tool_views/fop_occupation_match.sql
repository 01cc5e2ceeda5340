-- Each FOP's nearest occupations in ESCO and in O*NET (by meaning of the FOP's name and description,
-- acronyms expanded: matching.fop_occupation_links), labelled, and checked against each other: a
-- link is corroborated when the official ESCO <-> O*NET crosswalk pairs its occupation with one of
-- the FOP's links in the other framework (crosswalk_partner_rank = the best rank of such a partner).

with

fops as (
    select * from {{ ref('dim_fop') }}
),

links as (
    select * from {{ source('matching', 'fop_occupation_links') }}
),

esco_occupations as (
    select * from {{ ref('dim_esco_occupation') }}
),

onet_occupations as (
    select * from {{ ref('dim_onet_occupation') }}
),

crosswalk as (
    select * from {{ ref('bridge_esco_onet_crosswalk') }}
    where esco_occupation_uri is not null
),

-- each link's crosswalk partners among the same FOP's links to the other framework
partner_links as (
    select
        esco_links.fop_key,
        esco_links.occupation_id as esco_occupation_uri,
        esco_links.rank as esco_rank,
        onet_links.occupation_id as onet_soc_code,
        onet_links.rank as onet_rank
    from links as esco_links
    inner join crosswalk
        on esco_links.occupation_id = crosswalk.esco_occupation_uri
    inner join links as onet_links
        on
            esco_links.fop_key = onet_links.fop_key
            and crosswalk.onet_soc_code = onet_links.occupation_id
    where esco_links.framework = 'esco' and onet_links.framework = 'onet'
),

partner_ranks as (
    select
        fop_key,
        'esco' as framework,
        esco_occupation_uri as occupation_id,
        min(onet_rank) as crosswalk_partner_rank
    from partner_links
    group by fop_key, esco_occupation_uri
    union all
    select
        fop_key,
        'onet' as framework,
        onet_soc_code as occupation_id,
        min(esco_rank) as crosswalk_partner_rank
    from partner_links
    group by fop_key, onet_soc_code
),

final as (
    select
        fops.cycle_id,
        fops.fop_key,
        fops.name as fop_name,
        fops.is_priority,
        links.framework,
        cast(links.rank as integer) as rank,
        links.occupation_id,
        coalesce(esco_occupations.preferred_label, onet_occupations.title) as occupation_label,
        esco_occupations.isco_group_code,
        esco_occupations.isco_group_label,
        cast(links.similarity as double) as similarity,
        cast(partner_ranks.crosswalk_partner_rank as integer) as crosswalk_partner_rank
    from links
    inner join fops on links.fop_key = fops.fop_key
    left join esco_occupations
        on links.framework = 'esco' and links.occupation_id = esco_occupations.esco_occupation_uri
    left join onet_occupations
        on links.framework = 'onet' and links.occupation_id = onet_occupations.onet_soc_code
    left join partner_ranks
        on
            links.fop_key = partner_ranks.fop_key
            and links.framework = partner_ranks.framework
            and links.occupation_id = partner_ranks.occupation_id
)

select * from final
order by cycle_id, fop_key, framework, rank
