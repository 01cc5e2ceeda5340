-- The heat map of the "Fit & Surplus Matrix" page: for each FOP, its top N standards by fit
-- (N = var fit_matrix_top_n, default 10; only standards with fit above 0; ties broken by lower
-- surplus, then standard key), with a short label for the axis.

{% set top_n = var('fit_matrix_top_n', 10) %}

with

fit as (
    select * from {{ ref('fop_standard_fit') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by fop_key
            order by fit desc, surplus, standard_key
        ) as fit_rank
    from fit
    where fit > 0
),

final as (
    select
        cycle_id,
        fop_key,
        fop_name,
        standard_key,
        standard_reference || ' ' || standard_title
            || coalesce(' (level ' || standard_level || ')', '') as standard_label,
        fit,
        surplus
    from ranked
    where fit_rank <= {{ top_n }}
)

select * from final
order by cycle_id, fop_key, fit desc, surplus, standard_key
