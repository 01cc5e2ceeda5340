-- Every capability with its ranked provision candidates, the statement-level view: the 10 nearest
-- duty or skill statements across all standard versions, whatever their status (report-style: the
-- report matched against retired and in-development standards too), with the standard each
-- statement belongs to, its route and status flag, the terms statement and capability share, and
-- the standard's alignment with the roles that need the capability (from capability_standard_match,
-- which holds it per standard).

with

candidates as (
    select * from {{ source('matching', 'capability_provision_candidates') }}
),

capabilities as (
    select * from {{ ref('dim_capability') }}
),

statements as (
    select * from {{ ref('dim_provision_statement') }}
),

standards as (
    select * from {{ ref('dim_standard') }}
),

standard_alignment as (
    select
        capability_key,
        standard_reference,
        alignment
    from {{ ref('capability_standard_match') }}
),

final as (
    select
        capabilities.cycle_id,
        capabilities.capability_id,
        capabilities.capability_key,
        capabilities.statement as capability_statement,
        cast(candidates.rank as integer) as rank,
        standards.standard_key,
        standards.reference_number as standard_reference,
        standards.version as standard_version,
        standards.title as standard_title,
        cast(standards.level as integer) as standard_level,
        standards.status as standard_status,
        standards.status_flag,
        standards.route,
        statements.statement_id,
        statements.statement_kind,
        statements.statement_text,
        cast(candidates.similarity as double) as similarity,
        candidates.match_class,
        candidates.shared_terms,
        standard_alignment.alignment
    from candidates
    inner join capabilities on candidates.capability_key = capabilities.capability_key
    inner join statements on candidates.statement_id = statements.statement_id
    inner join standards on statements.standard_key = standards.standard_key
    left join standard_alignment
        on
            candidates.capability_key = standard_alignment.capability_key
            and standards.reference_number = standard_alignment.standard_reference
)

select * from final
order by cycle_id, capability_key, rank
