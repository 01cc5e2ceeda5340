with source as (

    select * from {{ source('onet', 'knowledge') }}

),

renamed as (

    select
        cast(onet_soc_code as varchar) as onet_soc_code,
        cast(title as varchar) as onet_soc_title,
        cast(element_id as varchar) as element_id,
        cast(element_name as varchar) as element_name,
        cast(scale_id as varchar) as scale_id,
        cast(scale_name as varchar) as scale_name,
        cast(data_value as double) as data_value,
        cast(n as integer) as sample_size,
        cast(standard_error as double) as standard_error,
        cast(lower_ci_bound as double) as lower_ci_bound,
        cast(upper_ci_bound as double) as upper_ci_bound,
        cast(recommend_suppress as varchar) as recommend_suppress,
        cast(not_relevant as varchar) as not_relevant,
        cast(date as varchar) as rated_month,
        cast(domain_source as varchar) as domain_source,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
