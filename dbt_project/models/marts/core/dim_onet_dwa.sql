with dwas as (

    select * from {{ ref('stg_onet__dwa_reference') }}

),

iwas as (

    select * from {{ ref('stg_onet__iwa_reference') }}

),

elements as (

    select * from {{ ref('stg_onet__content_model_reference') }}

),

final as (

    select
        dwas.dwa_id,
        dwas.dwa_title,
        dwas.iwa_id,
        iwas.iwa_title,
        dwas.element_id as work_activity_id,
        elements.element_name as work_activity_name,
        dwas.onet_release
    from dwas
    left join iwas on dwas.iwa_id = iwas.iwa_id
    left join elements on dwas.element_id = elements.element_id

)

select * from final
