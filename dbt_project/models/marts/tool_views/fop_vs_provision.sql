-- The "FOP vs Provision" page: for each FOP, its top 10 standards by fit (fit above 0; ties
-- broken by lower surplus, then standard key), and for each of the FOP's capabilities whether
-- that standard matches it (a candidate statement of the standard with class 'match' or
-- 'partial').

with

fit as (
    select * from {{ ref('fop_standard_fit') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

capabilities as (
    select * from {{ ref('dim_capability') }}
),

matches as (
    select * from {{ ref('capability_provision_match') }}
),

top_standards as (
    select
        cycle_id,
        fop_key,
        fop_name,
        standard_key,
        standard_title,
        fit,
        surplus,
        row_number() over (
            partition by fop_key
            order by fit desc, surplus, standard_key
        ) as fit_rank
    from fit
    where fit > 0
    qualify fit_rank <= 10
),

matched_pairs as (
    select distinct capability_key, standard_key
    from matches
    where match_class in ('match', 'partial')
),

final as (
    select
        top_standards.cycle_id,
        top_standards.fop_key,
        top_standards.fop_name,
        cast(top_standards.fit_rank as integer) as fit_rank,
        top_standards.standard_key,
        top_standards.standard_title,
        top_standards.fit,
        top_standards.surplus,
        proficiencies.capability_key,
        capabilities.statement as capability_statement,
        matched_pairs.capability_key is not null as is_matched
    from top_standards
    inner join proficiencies on top_standards.fop_key = proficiencies.fop_key
    inner join capabilities on proficiencies.capability_key = capabilities.capability_key
    left join matched_pairs
        on proficiencies.capability_key = matched_pairs.capability_key
        and top_standards.standard_key = matched_pairs.standard_key
)

select * from final
order by cycle_id, fop_key, fit_rank, capability_key
