-- The latest-approved-version rule in int_standard_versions and the flag computed at ingest
-- (wfh/ingest/skills_england.py) must pick the same records; a row here is a disagreement.

select
    standard_key,
    is_latest_approved_version,
    is_latest_approved_version_at_ingest
from {{ ref('int_standard_versions') }}
where is_latest_approved_version is distinct from is_latest_approved_version_at_ingest
