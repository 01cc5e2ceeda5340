with source as (

    select * from {{ source('skills_england', 'standards') }}

),

renamed as (

    select
        {{ standard_key('reference_number', 'version') }} as standard_key,
        cast(reference_number as varchar) as reference_number,
        cast(version as varchar) as version,
        cast(version_number as varchar) as version_number,
        cast(title as varchar) as title,
        cast(level as integer) as level,
        cast(status as varchar) as status,
        cast(route as varchar) as route,
        cast(pathway as varchar) as pathway,
        cast(cluster as varchar) as cluster,
        cast(cluster_id as integer) as cluster_id,
        cast(occupation_code as varchar) as occupation_code,
        cast(template_type as varchar) as template_type,
        cast(lars_code as integer) as lars_code,
        cast(earliest_start_date as date) as earliest_start_date,
        cast(latest_start_date as date) as latest_start_date,
        cast(latest_end_date as date) as latest_end_date,
        cast(approved_for_delivery as date) as approved_for_delivery_date,
        timezone('UTC', created_date) as created_at,
        timezone('UTC', last_updated) as last_updated_at,
        cast(typical_job_titles as varchar[]) as typical_job_titles,
        cast(keywords as varchar[]) as keywords,
        cast(occupational_summary as varchar) as occupational_summary,
        cast(overview_of_role as varchar) as overview_of_role,
        cast(standard_information as varchar) as standard_information,
        cast(standard_page_url as varchar) as standard_page_url,
        cast(typical_duration as integer) as typical_duration_months,
        cast(regulated as boolean) as is_regulated,
        cast(in_recent_api as boolean) as in_recent_api,
        cast(is_latest_approved_version as boolean) as is_latest_approved_version_at_ingest,
        cast(record_index as integer) as record_index,
        _loaded_at
    from source

)

select * from renamed
