with ksb_items as (

    select * from {{ ref('stg_skills_england__ksb_items') }}

),

final as (

    select
        standard_key || ':' || ksb_code as ksb_item_key,
        standard_key,
        reference_number,
        version,
        ksb_type,
        ksb_code,
        ksb_id,
        position,
        trim(detail) as detail
    from ksb_items

)

select * from final
