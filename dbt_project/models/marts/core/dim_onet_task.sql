with tasks as (

    select * from {{ ref('stg_onet__task_statements') }}

),

final as (

    select
        task_id,
        onet_soc_code,
        task_text,
        task_type,
        incumbents_responding,
        rated_month,
        domain_source,
        onet_release
    from tasks

)

select * from final
