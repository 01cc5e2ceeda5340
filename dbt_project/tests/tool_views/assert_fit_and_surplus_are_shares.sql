-- fit and surplus are shares: between 0 and 1 wherever they appear, and equal to the ratios of
-- the four counts behind them in fop_standard_fit. Returns the offending rows.

with

fit as (
    select * from {{ ref('fop_standard_fit') }}
),

shares as (
    select
        'fop_standard_fit' as model,
        fop_key,
        standard_key,
        fit,
        surplus
    from fit
    union all
    select
        'fop_standard_fit_matrix',
        fop_key,
        standard_key,
        fit,
        surplus
    from {{ ref('fop_standard_fit_matrix') }}
    union all
    select
        'fop_vs_provision',
        fop_key,
        standard_key,
        fit,
        surplus
    from {{ ref('fop_vs_provision') }}
    union all
    select
        'fop_priorities',
        fop_key,
        null,
        best_fit,
        surplus_at_best_fit
    from {{ ref('fop_priorities') }}
),

out_of_range as (
    select
        model,
        fop_key,
        standard_key,
        'not between 0 and 1' as problem
    from shares
    where fit not between 0 and 1 or surplus not between 0 and 1
),

inconsistent as (
    select
        'fop_standard_fit',
        fop_key,
        standard_key,
        'ratio differs from its counts'
    from fit
    where
        fop_capabilities_matched > fop_capabilities
        or standard_statements_matched > standard_statements
        or abs(fit - fop_capabilities_matched / fop_capabilities) > 1e-9
        or abs(
            surplus - (standard_statements - standard_statements_matched)
            / standard_statements
        ) > 1e-9
)

select * from out_of_range
union all
select * from inconsistent
