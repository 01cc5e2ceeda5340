with capabilities as (

    select * from {{ ref('int_capabilities') }}

),

final as (

    select
        capability_key,
        cycle_id,
        capability_id,
        statement,
        highlight_number,
        reason_to_highlight,
        in_appendix_a,
        provenance
    from capabilities

)

select * from final
