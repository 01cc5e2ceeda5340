-- What inconsistencies did we find in the report itself while reading it?
-- Run: wfh sql "$(cat docs/queries/data_quality_findings.sql)"
select severity, finding_id, finding, detail
from marts.data_quality_findings
order by severity desc, finding_id;
