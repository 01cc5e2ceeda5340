with source as (

    select * from {{ source('onet', 'task_statements') }}

),

renamed as (

    select
        cast(task_id as integer) as task_id,
        cast(onet_soc_code as varchar) as onet_soc_code,
        cast(task as varchar) as task_text,
        cast(task_type as varchar) as task_type,
        cast(incumbents_responding as integer) as incumbents_responding,
        cast(date as varchar) as rated_month,
        cast(domain_source as varchar) as domain_source,
        cast(onet_release as varchar) as onet_release,
        _loaded_at
    from source

)

select * from renamed
