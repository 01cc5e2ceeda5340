with cycles as (

    select * from {{ ref('stg_cycles__cycles') }}

),

final as (

    select
        cycle_id,
        cycle_title as title,
        sponsor,
        centre_of_innovation,
        workshop_start_date,
        workshop_end_date,
        report_date,
        source_document
    from cycles

)

select * from final
