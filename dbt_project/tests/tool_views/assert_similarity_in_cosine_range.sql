-- Similarities are cosine similarities: between -1 and 1.

select
    capability_key,
    rank,
    similarity
from {{ ref('capability_provision_match') }}
where similarity not between -1 and 1
