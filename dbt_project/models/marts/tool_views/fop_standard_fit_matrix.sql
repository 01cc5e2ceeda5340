-- The heat map of the "Fit & Surplus Matrix" page: for each FOP, its top N standards in the
-- default order of fop_standard_fit (rank: approved first, then statement evidence combined with
-- alignment; N = var top_standards_per_fop; fit may be 0), with a short label.

with

fit as (
    select * from {{ ref('fop_standard_fit') }}
),

ranked as (
    select
        *,
        row_number() over (partition by fop_key order by rank) as fit_rank
    from fit
    where fit is not null  -- a FOP without capabilities has no fit to map
),

final as (
    select
        cycle_id,
        fop_key,
        fop_name,
        standard_key,
        standard_reference || ' ' || standard_title
        || coalesce(' (level ' || standard_level || ')', '')
        || coalesce(' [' || status_flag || ']', '') as standard_label,
        fit,
        surplus,
        alignment,
        route,
        standard_status,
        cast(fit_rank as integer) as fit_rank
    from ranked
    where fit_rank <= {{ var('top_standards_per_fop') }}
)

select * from final
order by cycle_id, fop_key, fit_rank
