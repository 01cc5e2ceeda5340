-- No approved standard may be invisible to matching: every standard version "Approved for delivery"
-- needs at least one provision statement (a duty, or a sentence of its summary texts).

select standard_versions.standard_key
from {{ ref('int_standard_versions') }} as standard_versions
left join {{ ref('int_provision_statements') }} as statements
    on standard_versions.standard_key = statements.standard_key
where standard_versions.status = 'Approved for delivery'
group by standard_versions.standard_key
having count(statements.statement_id) = 0
