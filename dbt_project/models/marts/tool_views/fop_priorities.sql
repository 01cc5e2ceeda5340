-- The "FOP Priorities" page: every FOP with its best fit (the highest fit over its top N approved
-- standards in the default order of fop_standard_fit, N = var top_standards_per_fop, ties broken
-- by that rank; 0 with no standard when none of them covers any of its capabilities), the surplus
-- of that standard,
-- and the number of its capabilities that no provision statement matches (match class 'none'
-- in capability_provision_status). action_rank orders the FOPs for action: priority FOPs
-- first, FOPs without any recorded capability last within each group (nothing to act on),
-- then the lowest best fit (largest gap), then the most unmatched capabilities, then the name.

with

fops as (
    select * from {{ ref('dim_fop') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

provision_status as (
    select * from {{ ref('capability_provision_status') }}
),

fit as (
    select * from {{ ref('fop_standard_fit') }}
),

capability_counts as (
    select
        proficiencies.fop_key,
        count(distinct proficiencies.capability_key) as capabilities,
        count(distinct proficiencies.capability_key)
        filter (where provision_status.match_class = 'none') as unmatched_capabilities
    from proficiencies
    inner join provision_status
        on proficiencies.capability_key = provision_status.capability_key
    group by proficiencies.fop_key
),

best_fit as (
    select
        fop_key,
        fit as best_fit,
        standard_reference || ' ' || standard_title as best_fit_standard,
        surplus as surplus_at_best_fit
    from fit
    where
        fit > 0
        and standard_status = 'Approved for delivery'
        and rank <= {{ var('top_standards_per_fop') }}
    qualify row_number() over (
        partition by fop_key
        order by fit desc, rank asc
    ) = 1
),

fop_summary as (
    select
        fops.cycle_id,
        fops.fop_key,
        fops.name as fop_name,
        fops.is_priority,
        coalesce(capability_counts.capabilities, 0) as capabilities,
        coalesce(capability_counts.unmatched_capabilities, 0) as unmatched_capabilities,
        coalesce(best_fit.best_fit, 0) as best_fit,
        best_fit.best_fit_standard,
        best_fit.surplus_at_best_fit
    from fops
    left join capability_counts on fops.fop_key = capability_counts.fop_key
    left join best_fit on fops.fop_key = best_fit.fop_key
),

final as (
    select
        *,
        row_number() over (
            partition by cycle_id
            order by
                is_priority desc,
                capabilities = 0,
                best_fit asc,
                unmatched_capabilities desc,
                fop_name asc
        ) as action_rank
    from fop_summary
)

select * from final
order by cycle_id, action_rank
