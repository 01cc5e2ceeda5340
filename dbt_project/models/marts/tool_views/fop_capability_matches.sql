-- The "FOP Capability Matches" page: for each FOP, each of its capabilities with the number of
-- provision statements that match it (class 'match' or 'partial') and one row per such
-- statement, with what a planner needs to judge the statement's standard (version, level, status,
-- route, its Skills England page), the terms statement and capability share, and the standard's
-- alignment with the FOP (fop_standard_fit). A capability without any matching statement appears
-- once, with matches = 0, match class 'none' and empty standard and statement columns.

with

fops as (
    select * from {{ ref('dim_fop') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

capabilities as (
    select * from {{ ref('dim_capability') }}
),

matches as (
    select * from {{ ref('capability_provision_match') }}
),

standards as (
    select * from {{ ref('dim_standard') }}
),

fop_alignment as (
    select
        fop_key,
        standard_reference,
        alignment
    from {{ ref('fop_standard_fit') }}
),

positive_matches as (
    select
        *,
        count(*) over (partition by capability_key) as matches
    from matches
    where match_class in ('match', 'partial')
),

final as (
    select
        fops.cycle_id,
        fops.fop_key,
        fops.name as fop_name,
        proficiencies.capability_key,
        capabilities.statement as capability_statement,
        cast(proficiencies.proficiency as integer) as proficiency,
        coalesce(positive_matches.matches, 0) as matches,
        positive_matches.standard_key,
        standards.reference_number as standard_reference,
        standards.version as standard_version,
        positive_matches.standard_title,
        standards.level as standard_level,
        standards.status as standard_status,
        standards.route as standard_route,
        standards.standard_page_url,
        positive_matches.statement_text,
        positive_matches.similarity,
        coalesce(positive_matches.match_class, 'none') as match_class,
        positive_matches.shared_terms,
        fop_alignment.alignment
    from proficiencies
    inner join fops on proficiencies.fop_key = fops.fop_key
    inner join capabilities on proficiencies.capability_key = capabilities.capability_key
    left join positive_matches on proficiencies.capability_key = positive_matches.capability_key
    left join standards on positive_matches.standard_key = standards.standard_key
    left join fop_alignment
        on
            proficiencies.fop_key = fop_alignment.fop_key
            and standards.reference_number = fop_alignment.standard_reference
)

select * from final
order by cycle_id asc, fop_key asc, capability_key asc, similarity desc nulls last
