-- Every statement of every standard version, classified (the one place that decides statement_kind):
--   duty                structured duties (new-template standards)
--   skill, knowledge,   structured KSB items (stg_skills_england__ksb_items), and, for versions with no
--   behaviour           structured duties nor KSB items, the items of the prose lists headed as such
--   occupation_summary  other prose sentences (occupational summary, overview of role, profile)
--   administrative      duration, entry requirements, review dates, qualifications, professional
--                       registration/recognition, end-point assessment, typical job titles, level,
--                       off-the-job training, funding, English and maths (by heading or by wording)
-- is_match_candidate: duty and skill statements only, the things a standard trains an apprentice to
-- do; these are the match candidates and the denominator of surplus (docs/matching.md).
-- Prose list items of versions that have KSB items are not repeated: the KSB items are those lists.
-- The first seven columns are the contract with the match step.

{% set administrative_wording -%}
    (^|\W)(typical(ly)? duration|duration of (the |this )?apprenticeship|duration:|typically \d+\s*(-|to)?\s*\d*\s*months|\d+\s*months|entry requirements?|individual employers will (set|identify)|gcses?\W|ucas|review date|will be reviewed|reviewed (after|in|every)|after (3|three) years|qualifications?:|mandatory qualification|must (achieve|complete|pass|hold|obtain|have achieved)|end.point assessment|\bepa\b|professional registration|eligible (for|to apply)|professional recognition|membership of|(engtech|ieng|ceng)\W|typical job (titles|roles)|job titles|roles include|set at level \d|is a level \d|^level:?\s*\d|level \d apprenticeship|off.the.job|20% of|away from (their|the) (day.to.day|normal)|apprenticeship funding|funding band|\blevy\b|english and maths|english & maths|maths and english|functional skills|british sign language|this (apprenticeship )?standard (will|is|has|should)|this apprenticeship (is|will|has|should|lasts))
{%- endset %}

with standard_versions as (

    select * from {{ ref('int_standard_versions') }}

),

duties as (

    select * from {{ ref('stg_skills_england__duties') }}

),

ksb_items as (

    select * from {{ ref('stg_skills_england__ksb_items') }}

),

summary_sentences as (

    select * from {{ ref('int_summary_sentences') }}

),

duty_statements as (

    select
        'duty:' || duties.reference_number || ':' || duties.version || ':' || duties.duty_id as statement_id,
        duties.standard_key,
        duties.reference_number,
        duties.version,
        'duty' as statement_kind,
        trim(duties.duty_detail) as statement_text,
        standard_versions.status as standard_status,
        'duties' as source_field,
        duties.duty_number as statement_number,
        duties.is_core_duty
    from duties
    inner join standard_versions on duties.standard_key = standard_versions.standard_key
    where nullif(trim(duties.duty_detail), '') is not null

),

ksb_statements as (

    select
        ksb_items.ksb_type || ':' || ksb_items.reference_number || ':' || ksb_items.version || ':'
        || ksb_items.ksb_code as statement_id,
        ksb_items.standard_key,
        ksb_items.reference_number,
        ksb_items.version,
        ksb_items.ksb_type as statement_kind,
        trim(ksb_items.detail) as statement_text,
        standard_versions.status as standard_status,
        'ksb_items' as source_field,
        ksb_items.position as statement_number,
        cast(null as boolean) as is_core_duty
    from ksb_items
    inner join standard_versions on ksb_items.standard_key = standard_versions.standard_key
    where
        nullif(trim(ksb_items.detail), '') is not null
        and ksb_items.ksb_type in ('skill', 'knowledge', 'behaviour')

),

prose_classified as (

    select
        summary_sentences.*,
        standard_versions.has_ksb_items,
        case
            when
                summary_sentences.section_kind = 'administrative'
                or regexp_matches(lower(summary_sentences.sentence_text), '{{ administrative_wording }}')
                then 'administrative'
            when summary_sentences.source_field <> 'standard_information'
                then 'occupation_summary'
            when summary_sentences.section_kind in ('skill', 'knowledge', 'behaviour')
                then summary_sentences.section_kind
            -- a list headed "skills and knowledge": items that only ask to know are knowledge
            when summary_sentences.section_kind = 'mixed'
                then case
                    when
                        regexp_matches(
                            lower(summary_sentences.sentence_text),
                            '^(understand|understands|know|knows|knowledge|awareness|aware|an understanding)\W'
                        )
                        and not regexp_matches(
                            lower(summary_sentences.sentence_text),
                            '^understands? and (apply|applies|follow|follows|use|uses|carry|implement|comply)\W'
                        )
                        then 'knowledge'
                    else 'skill'
                end
            else 'occupation_summary'
        end as statement_kind
    from summary_sentences
    inner join standard_versions on summary_sentences.standard_key = standard_versions.standard_key

),

prose_statements as (

    select
        statement_id,
        standard_key,
        reference_number,
        version,
        statement_kind,
        sentence_text as statement_text,
        standard_status,
        source_field,
        sentence_number as statement_number,
        cast(null as boolean) as is_core_duty
    from prose_classified
    -- with structured KSB items, the prose lists of skills, knowledge and behaviours are those items
    where not (has_ksb_items and statement_kind in ('skill', 'knowledge', 'behaviour'))

),

unioned as (

    select * from duty_statements
    union all
    select * from ksb_statements
    union all
    select * from prose_statements

),

final as (

    select
        statement_id,
        standard_key,
        reference_number,
        version,
        statement_kind,
        statement_text,
        standard_status,
        source_field,
        statement_number,
        is_core_duty,
        statement_kind in ('duty', 'skill') as is_match_candidate
    from unioned

)

select * from final
