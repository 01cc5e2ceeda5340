with source as (

    select * from {{ source('onet', 'tasks_to_dwas') }}

),

renamed as (

    select
        cast(onet_soc_code as varchar) as onet_soc_code,
        cast(task_id as integer) as task_id,
        cast(dwa_id as varchar) as dwa_id,
        cast(date as varchar) as rated_month,
        cast(domain_source as varchar) as domain_source,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
