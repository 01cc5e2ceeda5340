-- The report's own inconsistencies found while reading it into a cycle bundle (for example a
-- count stated in the text that differs from its tables), one row per finding.

with

findings as (
    select * from {{ ref('stg_cycles__findings') }}
),

final as (
    select
        cycle_id,
        finding_id,
        severity,
        finding,
        detail,
        provenance
    from findings
)

select * from final
order by cycle_id, finding_id
