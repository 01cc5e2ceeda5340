-- capability_provision_match publishes every candidate of the match step: none is lost in the
-- joins to capabilities, statements and standards. Returns the candidates missing from the mart.

select
    candidates.capability_key,
    candidates.rank,
    candidates.statement_id
from {{ source('matching', 'capability_provision_candidates') }} as candidates
left join {{ ref('capability_provision_match') }} as published
    on
        candidates.capability_key = published.capability_key
        and candidates.rank = published.rank
where published.capability_key is null
