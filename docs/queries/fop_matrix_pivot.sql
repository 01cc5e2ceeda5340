-- The FOP Matrix grid for the capabilities two roles share: how do a Chief Pharmacist and a
-- Qualified Person compare? (Columns are FOP names; quote them.)
-- Run: wfh sql "$(cat docs/queries/fop_matrix_pivot.sql)"
select
    capability_statement,
    "Chief Pharmacist",
    "Qualified Person"
from marts.fop_matrix_pivot
where "Chief Pharmacist" is not null and "Qualified Person" is not null
order by capability_key;
