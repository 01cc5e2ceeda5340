-- Every standard version with its status, resolved against the other versions of the same standard:
-- the latest approved version (highest version "Approved for delivery" among records still in the API)
-- and the latest version of any status. Versions compare numerically part by part ("1.10" > "1.9";
-- non-digits are ignored, so "V0.0" sorts as 0.0).

with standards as (

    select * from {{ ref('stg_skills_england__standards') }}

),

duties as (

    select * from {{ ref('stg_skills_england__duties') }}

),

ksb_items as (

    select * from {{ ref('stg_skills_england__ksb_items') }}

),

ksb_counts as (

    select
        standard_key,
        count(*) as ksb_item_count
    from ksb_items
    group by standard_key

),

duty_counts as (

    select
        standard_key,
        count(*) as duty_count
    from duties
    group by standard_key

),

versioned as (

    select
        standards.*,
        cast(regexp_extract_all(standards.version, '[0-9]+') as integer[]) as version_sort_key,
        coalesce(standards.status = 'Approved for delivery' and standards.in_recent_api, false) as is_current_approved,
        coalesce(duty_counts.duty_count, 0) as duty_count,
        coalesce(ksb_counts.ksb_item_count, 0) as ksb_item_count
    from standards
    left join duty_counts on standards.standard_key = duty_counts.standard_key
    left join ksb_counts on standards.standard_key = ksb_counts.standard_key

),

ranked as (

    select
        *,
        row_number() over (
            partition by reference_number, is_current_approved
            order by version_sort_key desc, record_index desc
        ) as approved_rank,
        row_number() over (
            partition by reference_number
            order by version_sort_key desc, record_index desc
        ) as version_rank
    from versioned

),

final as (

    select
        standard_key,
        reference_number,
        version,
        version_number,
        version_sort_key,
        title,
        level,
        status,
        route,
        pathway,
        cluster,
        cluster_id,
        occupation_code,
        template_type,
        lars_code,
        earliest_start_date,
        latest_start_date,
        latest_end_date,
        approved_for_delivery_date,
        created_at,
        last_updated_at,
        typical_job_titles,
        keywords,
        occupational_summary,
        overview_of_role,
        standard_information,
        standard_page_url,
        typical_duration_months,
        is_regulated,
        in_recent_api,
        is_current_approved and approved_rank = 1 as is_latest_approved_version,
        version_rank = 1 as is_latest_version,
        -- The one version of a standard that rankings show: the latest approved version, else the latest.
        coalesce(
            is_current_approved and approved_rank = 1,
            false
        ) or (
            version_rank = 1
            and not bool_or(is_current_approved) over (partition by reference_number)
        ) as is_preferred_version,
        duty_count,
        duty_count > 0 as has_structured_duties,
        ksb_item_count,
        ksb_item_count > 0 as has_ksb_items,
        is_latest_approved_version_at_ingest,
        record_index
    from ranked

)

select * from final
