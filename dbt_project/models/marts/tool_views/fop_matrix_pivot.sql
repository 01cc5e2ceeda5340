-- The "FOP Matrix" grid for display: one row per capability (with its cycle) and one column per
-- FOP name holding the proficiency that FOP needs (1 Awareness, 2 Practitioner, 3 Expert;
-- empty when the FOP does not contain the capability). The FOP columns come from the data,
-- so this model has no enforced contract; query fop_matrix for analysis.

with

matrix as (
    select
        cycle_id,
        capability_key,
        capability_statement,
        fop_name,
        proficiency
    from {{ ref('fop_matrix') }}
)

pivot matrix
on fop_name
using max(proficiency)
group by cycle_id, capability_key, capability_statement
order by cycle_id, capability_key
