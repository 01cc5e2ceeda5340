-- Fit and surplus of every FOP against every standard (its preferred version: latest "Approved for
-- delivery", else latest), on the full similarity of each capability against every duty and skill
-- statement of the standard. "Covered" is the one definition of the is_covered macro (match class
-- 'match' or 'partial').
--   fit     = share of the FOP's capabilities whose best statement in the standard is covered
--   surplus = share of the standard's duty and skill statements that none of the FOP's capabilities
--             covers
--   profile_alignment    = cosine of the standard's profile with the FOP's name and description
--   occupation_alignment = cosine of their occupation profiles (the ISCO-08 unit groups of the
--                   nearest ESCO occupations of each text; the FOP's name and its text half each):
--                   do they name the same kinds of occupation
--   alignment       = (1 - occupation_alignment_share) * profile_alignment
--                     + occupation_alignment_share * occupation_alignment
--   cycle_alignment = cosine of the standard's profile with the cycle's context
--   mean_best_similarity = mean over the FOP's capabilities of their best statement's similarity
--                   in the standard (fit before the threshold: every capability's evidence counts)
--   score   = (1 - alignment_weight) * mean_best_similarity
--             + alignment_weight * ((1 - cycle_alignment_share) * alignment
--                                   + cycle_alignment_share * cycle_alignment)
-- rank (1 = best): approved standards first, then score, then fit, then lower surplus.

with

fops as (
    select * from {{ ref('dim_fop') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

best as (
    select * from {{ source('matching', 'capability_standard_best') }}
),

coverage as (
    select * from {{ source('matching', 'capability_statement_coverage') }}
),

alignment as (
    select * from {{ source('matching', 'standard_alignment') }}
    where subject_kind = 'fop'
),

cycle_alignment as (
    select * from {{ source('matching', 'standard_alignment') }}
    where subject_kind = 'cycle'
),

-- the standards compared: preferred versions the match step scored (all of them on a full build)
standards as (
    select * from {{ ref('dim_standard') }}
    where
        is_preferred_version
        and standard_key in (select best.standard_key from best)
),

statements as (
    select * from {{ ref('dim_provision_statement') }}
    where is_match_candidate
),

fop_capabilities as (
    select distinct
        fop_key,
        capability_key
    from proficiencies
),

capabilities_per_fop as (
    select
        fop_key,
        count(*) as fop_capabilities
    from fop_capabilities
    group by fop_key
),

covered_capabilities as (
    select
        fop_capabilities.fop_key,
        best.standard_key,
        count(*) filter (where {{ is_covered('best.match_class') }}) as fop_capabilities_matched,
        avg(best.similarity) as mean_best_similarity
    from fop_capabilities
    inner join best on fop_capabilities.capability_key = best.capability_key
    group by fop_capabilities.fop_key, best.standard_key
),

covered_statements as (
    select
        fop_capabilities.fop_key,
        statements.standard_key,
        count(distinct coverage.statement_id) as standard_statements_matched
    from fop_capabilities
    inner join coverage on fop_capabilities.capability_key = coverage.capability_key
    inner join statements on coverage.statement_id = statements.statement_id
    where {{ is_covered('coverage.match_class') }}
    group by fop_capabilities.fop_key, statements.standard_key
),

fop_standard_pairs as (
    select
        fops.cycle_id,
        fops.fop_key,
        fops.name as fop_name,
        standards.standard_key,
        standards.reference_number as standard_reference,
        standards.version as standard_version,
        standards.title as standard_title,
        cast(standards.level as integer) as standard_level,
        standards.route,
        standards.sector_statement,
        standards.status as standard_status,
        standards.status_flag,
        coalesce(capabilities_per_fop.fop_capabilities, 0) as fop_capabilities,
        coalesce(covered_capabilities.fop_capabilities_matched, 0) as fop_capabilities_matched,
        standards.match_candidate_count as standard_statements,
        coalesce(covered_statements.standard_statements_matched, 0) as standard_statements_matched,
        covered_capabilities.mean_best_similarity,
        cast(alignment.alignment as double) as profile_alignment,
        cast(alignment.occupation_alignment as double) as occupation_alignment,
        alignment.shared_occupation_groups,
        cast(cycle_alignment.alignment as double) as cycle_alignment
    from fops
    cross join standards
    left join capabilities_per_fop on fops.fop_key = capabilities_per_fop.fop_key
    left join covered_capabilities
        on
            fops.fop_key = covered_capabilities.fop_key
            and standards.standard_key = covered_capabilities.standard_key
    left join covered_statements
        on
            fops.fop_key = covered_statements.fop_key
            and standards.standard_key = covered_statements.standard_key
    left join alignment
        on
            fops.fop_key = alignment.subject_key
            and standards.standard_key = alignment.standard_key
    left join cycle_alignment
        on
            fops.cycle_id = cycle_alignment.subject_key
            and standards.standard_key = cycle_alignment.standard_key
),

shares as (
    select
        *,
        fop_capabilities_matched / nullif(fop_capabilities, 0) as fit,
        (standard_statements - standard_statements_matched) / nullif(standard_statements, 0) as surplus,
        (1 - {{ alignment_weight('occupation_alignment_share') }}) * profile_alignment
        + {{ alignment_weight('occupation_alignment_share') }}
        * coalesce(occupation_alignment, profile_alignment) as alignment
    from fop_standard_pairs
),

scored as (
    select
        *,
        (1 - {{ alignment_weight() }}) * coalesce(mean_best_similarity, 0)
        + {{ alignment_weight() }} * (
            (1 - {{ alignment_weight('cycle_alignment_share') }}) * coalesce(alignment, 0)
            + {{ alignment_weight('cycle_alignment_share') }} * coalesce(cycle_alignment, 0)
        ) as score
    from shares
),

final as (
    select
        cycle_id,
        fop_key,
        fop_name,
        cast(row_number() over (
            partition by fop_key
            order by
                standard_status = 'Approved for delivery' desc, score desc, fit desc nulls last,
                surplus asc, standard_key asc
        ) as integer) as rank,
        standard_key,
        standard_reference,
        standard_version,
        standard_title,
        standard_level,
        route,
        sector_statement,
        standard_status,
        status_flag,
        fop_capabilities,
        fop_capabilities_matched,
        standard_statements,
        standard_statements_matched,
        fit,
        surplus,
        cast(alignment as double) as alignment,
        profile_alignment,
        occupation_alignment,
        shared_occupation_groups,
        cycle_alignment,
        cast(score as double) as score,
        cast(mean_best_similarity as double) as mean_best_similarity
    from scored
)

select * from final
order by cycle_id, fop_key, rank
