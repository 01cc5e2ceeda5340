-- Many-to-many: the Detailed Work Activities each O*NET task is linked to.

with tasks_to_dwas as (

    select * from {{ ref('stg_onet__tasks_to_dwas') }}

),

final as (

    select
        task_id,
        dwa_id,
        onet_soc_code,
        rated_month,
        domain_source
    from tasks_to_dwas

)

select * from final
