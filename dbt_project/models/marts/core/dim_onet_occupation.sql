with occupations as (

    select * from {{ ref('stg_onet__occupation_data') }}

),

job_zones as (

    select * from {{ ref('stg_onet__job_zones') }}

),

task_counts as (

    select
        onet_soc_code,
        count(*) as task_count
    from {{ ref('stg_onet__task_statements') }}
    group by onet_soc_code

),

final as (

    select
        occupations.onet_soc_code,
        occupations.title,
        occupations.description,
        job_zones.job_zone,
        coalesce(task_counts.task_count, 0) as task_count,
        occupations.onet_release
    from occupations
    left join job_zones on occupations.onet_soc_code = job_zones.onet_soc_code
    left join task_counts on occupations.onet_soc_code = task_counts.onet_soc_code

)

select * from final
