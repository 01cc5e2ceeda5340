with standard_versions as (

    select * from {{ ref('int_standard_versions') }}

),

sectors as (

    select * from {{ ref('int_standard_sectors') }}

),

statement_counts as (

    select
        standard_key,
        count(*) as provision_statement_count,
        count(*) filter (where is_match_candidate) as match_candidate_count
    from {{ ref('int_provision_statements') }}
    group by standard_key

),

final as (

    select
        standard_versions.standard_key,
        standard_versions.reference_number,
        standard_versions.version,
        standard_versions.version_number,
        standard_versions.title,
        standard_versions.level,
        standard_versions.status,
        standard_versions.route,
        standard_versions.pathway,
        standard_versions.cluster,
        standard_versions.cluster_id,
        standard_versions.occupation_code,
        standard_versions.template_type,
        standard_versions.lars_code,
        standard_versions.earliest_start_date,
        standard_versions.latest_start_date,
        standard_versions.latest_end_date,
        standard_versions.approved_for_delivery_date,
        standard_versions.created_at,
        standard_versions.last_updated_at,
        array_to_string(standard_versions.typical_job_titles, '; ') as typical_job_titles,
        array_to_string(standard_versions.keywords, '; ') as keywords,
        standard_versions.overview_of_role,
        sectors.sector_statement,
        standard_versions.standard_page_url,
        standard_versions.typical_duration_months,
        standard_versions.is_regulated,
        standard_versions.in_recent_api,
        standard_versions.is_latest_approved_version,
        standard_versions.is_latest_version,
        standard_versions.is_preferred_version,
        {{ status_flag('standard_versions.status') }} as status_flag,
        standard_versions.has_structured_duties,
        standard_versions.duty_count,
        standard_versions.ksb_item_count,
        coalesce(statement_counts.provision_statement_count, 0) as provision_statement_count,
        coalesce(statement_counts.match_candidate_count, 0) as match_candidate_count
    from standard_versions
    left join statement_counts on standard_versions.standard_key = statement_counts.standard_key
    left join sectors on standard_versions.standard_key = sectors.standard_key

)

select * from final
