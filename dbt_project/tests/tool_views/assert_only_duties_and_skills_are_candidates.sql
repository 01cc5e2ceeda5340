-- Only duty and skill statements are match candidates and count in fit and surplus: no knowledge,
-- behaviour, summary or administrative statement reaches a matching table. Returns the offenders.

with

statements as (
    select * from {{ ref('dim_provision_statement') }}
),

used as (
    select
        'capability_provision_candidates' as source_table,
        statement_id
    from {{ source('matching', 'capability_provision_candidates') }}
    union all
    select
        'capability_standard_best',
        statement_id
    from {{ source('matching', 'capability_standard_best') }}
    union all
    select
        'capability_statement_coverage',
        statement_id
    from {{ source('matching', 'capability_statement_coverage') }}
)

select
    used.source_table,
    used.statement_id,
    statements.statement_kind
from used
left join statements on used.statement_id = statements.statement_id
where statements.statement_kind is null or statements.statement_kind not in ('duty', 'skill')
