-- The FOP x capability proficiency facts of every cycle, keyed to the conformed FOPs and capabilities,
-- with the proficiency's label (1 Awareness, 2 Practitioner, 3 Expert).

with proficiency as (

    select * from {{ ref('stg_cycles__fop_capability_proficiency') }}

),

final as (

    select
        {{ cycle_key('cycle_id', 'fop_id') }} as fop_key,
        {{ cycle_key('cycle_id', 'capability_id') }} as capability_key,
        cycle_id,
        proficiency,
        {{ proficiency_label('proficiency') }} as proficiency_label,
        provenance
    from proficiency

)

select * from final
