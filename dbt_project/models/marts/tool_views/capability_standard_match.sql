-- Which standards cover each capability, ranked: one row per capability and standard (the standard's
-- preferred version: latest "Approved for delivery", else latest). The evidence is the standard's
-- duty and skill statements judged on the full similarity of the capability against every statement
-- of the standard (matching.capability_standard_best): the best one (shown, and what "covered" is
-- judged on) and the mean of the three best (what ranks). Alignment is how close the standard as a
-- whole is to the roles that need the capability: the mean of its alignment with the FOPs holding
-- the capability (fop_standard_fit.alignment), or, for a capability no FOP holds, the cosine of its
-- profile with the capability itself; and the cosine of its profile with the cycle's context.
--   score = (1 - w) * top3_similarity + w * ((1 - c) * alignment + c * cycle_alignment),
--   w = capability_alignment_weight, c = cycle_alignment_share (wfh.toml [matching])
-- rank: approved standards first, then score, then statement similarity (1 = best).

with

best as (
    select * from {{ source('matching', 'capability_standard_best') }}
),

own_alignment as (
    select * from {{ source('matching', 'standard_alignment') }}
    where subject_kind = 'capability'
),

cycle_alignment as (
    select * from {{ source('matching', 'standard_alignment') }}
    where subject_kind = 'cycle'
),

fop_alignment as (
    select * from {{ ref('fop_standard_fit') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

-- the FOPs that hold each capability (at any proficiency)
holders as (
    select distinct
        capability_key,
        fop_key
    from proficiencies
),

capabilities as (
    select * from {{ ref('dim_capability') }}
),

standards as (
    select * from {{ ref('dim_standard') }}
    where is_preferred_version
),

statements as (
    select * from {{ ref('dim_provision_statement') }}
),

-- the standard's alignment with the roles that need the capability: the mean over its FOPs
role_alignment as (
    select
        holders.capability_key,
        fop_alignment.standard_key,
        -- summed in FOP order, so a rebuild gives the same digits
        list_avg(list(fop_alignment.alignment order by holders.fop_key)) as role_alignment
    from holders
    inner join fop_alignment on holders.fop_key = fop_alignment.fop_key
    group by holders.capability_key, fop_alignment.standard_key
),

scored as (
    select
        capabilities.cycle_id,
        capabilities.capability_key,
        capabilities.capability_id,
        capabilities.statement as capability_statement,
        standards.standard_key,
        standards.reference_number as standard_reference,
        standards.version as standard_version,
        standards.title as standard_title,
        cast(standards.level as integer) as standard_level,
        standards.route,
        standards.sector_statement,
        standards.status as standard_status,
        standards.status_flag,
        statements.statement_id as best_statement_id,
        statements.statement_kind as best_statement_kind,
        statements.statement_text as best_statement,
        cast(best.similarity as double) as statement_similarity,
        cast(best.top3_similarity as double) as top3_similarity,
        best.match_class,
        {{ is_covered('best.match_class') }} as is_covered,
        best.shared_terms,
        cast(coalesce(role_alignment.role_alignment, own_alignment.alignment) as double) as alignment,
        cast(role_alignment.role_alignment as double) as role_alignment,
        cast(own_alignment.alignment as double) as capability_alignment,
        cast(cycle_alignment.alignment as double) as cycle_alignment,
        (1 - {{ alignment_weight('capability_alignment_weight') }}) * best.top3_similarity
        + {{ alignment_weight('capability_alignment_weight') }} * (
            (1 - {{ alignment_weight('cycle_alignment_share') }})
            * coalesce(role_alignment.role_alignment, own_alignment.alignment, 0)
            + {{ alignment_weight('cycle_alignment_share') }} * coalesce(cycle_alignment.alignment, 0)
        ) as score
    from best
    inner join capabilities on best.capability_key = capabilities.capability_key
    inner join standards on best.standard_key = standards.standard_key
    inner join statements on best.statement_id = statements.statement_id
    left join own_alignment
        on
            best.capability_key = own_alignment.subject_key
            and best.standard_key = own_alignment.standard_key
    left join role_alignment
        on
            best.capability_key = role_alignment.capability_key
            and best.standard_key = role_alignment.standard_key
    left join cycle_alignment
        on
            capabilities.cycle_id = cycle_alignment.subject_key
            and best.standard_key = cycle_alignment.standard_key
),

final as (
    select
        cycle_id,
        capability_key,
        capability_id,
        capability_statement,
        cast(row_number() over (
            partition by capability_key
            order by
                standard_status = 'Approved for delivery' desc, score desc,
                statement_similarity desc, standard_key asc
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
        best_statement_id,
        best_statement_kind,
        best_statement,
        statement_similarity,
        top3_similarity,
        match_class,
        is_covered,
        shared_terms,
        alignment,
        role_alignment,
        capability_alignment,
        cycle_alignment,
        cast(score as double) as score
    from scored
)

select * from final
order by cycle_id, capability_key, rank
