with source as (

    select * from {{ source('onet', 'job_zones') }}

),

renamed as (

    select
        cast(onet_soc_code as varchar) as onet_soc_code,
        cast(job_zone as integer) as job_zone,
        cast(date as varchar) as rated_month,
        cast(domain_source as varchar) as domain_source,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
