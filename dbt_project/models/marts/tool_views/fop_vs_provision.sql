-- The "FOP vs Provision" page: for each FOP, its top N standards in the default order of
-- fop_standard_fit (N = var top_standards_per_fop; approved first, then statement evidence combined
-- with alignment; fit may be 0: the most relevant standards covering none of the capabilities is
-- the gap), and for each of the FOP's capabilities whether that standard covers it (its best
-- statement in the standard is covered: class 'match' or 'partial', macro is_covered), with that
-- statement as evidence, and the standard's route and alignment with the FOP (fop_standard_fit).

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

best as (
    select * from {{ source('matching', 'capability_standard_best') }}
),

statements as (
    select * from {{ ref('dim_provision_statement') }}
),

top_standards as (
    select
        cycle_id,
        fop_key,
        fop_name,
        standard_key,
        standard_title,
        route,
        fit,
        surplus,
        alignment,
        row_number() over (partition by fop_key order by rank) as fit_rank
    from fit
    qualify fit_rank <= {{ var('top_standards_per_fop') }}
),

final as (
    select
        top_standards.cycle_id,
        top_standards.fop_key,
        top_standards.fop_name,
        cast(top_standards.fit_rank as integer) as fit_rank,
        top_standards.standard_key,
        top_standards.standard_title,
        top_standards.route,
        top_standards.fit,
        top_standards.surplus,
        top_standards.alignment,
        proficiencies.capability_key,
        capabilities.statement as capability_statement,
        coalesce({{ is_covered('best.match_class') }}, false) as is_matched,
        statements.statement_text as best_statement,
        cast(best.similarity as double) as statement_similarity,
        best.shared_terms
    from top_standards
    inner join proficiencies on top_standards.fop_key = proficiencies.fop_key
    inner join capabilities on proficiencies.capability_key = capabilities.capability_key
    left join best
        on
            proficiencies.capability_key = best.capability_key
            and top_standards.standard_key = best.standard_key
    left join statements on best.statement_id = statements.statement_id
)

select * from final
order by cycle_id, fop_key, fit_rank, capability_key
