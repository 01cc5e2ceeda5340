-- Fit and surplus of every FOP against every standard version that has at least one provision
-- candidate in the FOP's cycle.
--   fit     = share of the FOP's capabilities that at least one of the standard's statements
--             matches (match class 'match' or 'partial')
--   surplus = share of the standard's statements that none of the FOP's capabilities matches
-- The two are separate calculations and may sum past 100%.

with

fops as (
    select * from {{ ref('dim_fop') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

matches as (
    select * from {{ ref('capability_provision_match') }}
),

standards as (
    select * from {{ ref('dim_standard') }}
),

-- the standards compared: those with at least one candidate (of any class) in the cycle
standards_in_cycle as (
    select distinct cycle_id, standard_key
    from matches
),

capabilities_per_fop as (
    select fop_key, count(distinct capability_key) as fop_capabilities
    from proficiencies
    group by fop_key
),

positive_matches as (
    select capability_key, standard_key, statement_id
    from matches
    where match_class in ('match', 'partial')
),

matched_per_fop_and_standard as (
    select
        proficiencies.fop_key,
        positive_matches.standard_key,
        count(distinct positive_matches.capability_key) as fop_capabilities_matched,
        count(distinct positive_matches.statement_id) as standard_statements_matched
    from proficiencies
    inner join positive_matches on proficiencies.capability_key = positive_matches.capability_key
    group by proficiencies.fop_key, positive_matches.standard_key
),

fop_standard_pairs as (
    select
        fops.cycle_id,
        fops.fop_key,
        fops.name as fop_name,
        standards.standard_key,
        standards.reference_number as standard_reference,
        standards.title as standard_title,
        cast(standards.level as integer) as standard_level,
        standards.status as standard_status,
        coalesce(capabilities_per_fop.fop_capabilities, 0) as fop_capabilities,
        coalesce(matched.fop_capabilities_matched, 0) as fop_capabilities_matched,
        standards.provision_statement_count as standard_statements,
        coalesce(matched.standard_statements_matched, 0) as standard_statements_matched
    from fops
    inner join standards_in_cycle on fops.cycle_id = standards_in_cycle.cycle_id
    inner join standards on standards_in_cycle.standard_key = standards.standard_key
    left join capabilities_per_fop on fops.fop_key = capabilities_per_fop.fop_key
    left join matched_per_fop_and_standard as matched
        on fops.fop_key = matched.fop_key
        and standards.standard_key = matched.standard_key
),

final as (
    select
        *,
        fop_capabilities_matched / nullif(fop_capabilities, 0) as fit,
        (standard_statements - standard_statements_matched)
            / nullif(standard_statements, 0) as surplus
    from fop_standard_pairs
)

select * from final
order by cycle_id, fop_key, fit desc, surplus, standard_key
