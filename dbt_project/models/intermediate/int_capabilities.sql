-- Capabilities of every cycle, conformed to one shape with a cycle-qualified key
-- (`<cycle_id>:<capability_id>`) and whitespace-normalised text.

with capabilities as (

    select * from {{ ref('stg_cycles__capabilities') }}

),

final as (

    select
        {{ cycle_key('cycle_id', 'capability_id') }} as capability_key,
        cycle_id,
        capability_id,
        trim(regexp_replace(statement, '\s+', ' ', 'g')) as statement,
        highlight_number,
        nullif(trim(regexp_replace(reason_to_highlight, '\s+', ' ', 'g')), '') as reason_to_highlight,
        coalesce(in_appendix_a, false) as in_appendix_a,
        provenance
    from capabilities

)

select * from final
