-- All provision statements the match step compares capabilities with: the structured duties of every
-- standard version (statement_kind 'duty') and, for versions without structured duties, the sentences
-- split from their summary texts (statement_kind 'summary'). One row per statement. The first seven
-- columns are the contract with the match step; source_field, statement_number and is_core_duty follow.

with standard_versions as (

    select * from {{ ref('int_standard_versions') }}

),

duties as (

    select * from {{ ref('stg_skills_england__duties') }}

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

summary_statements as (

    select
        statement_id,
        standard_key,
        reference_number,
        version,
        'summary' as statement_kind,
        sentence_text as statement_text,
        standard_status,
        source_field,
        sentence_number as statement_number,
        cast(null as boolean) as is_core_duty
    from summary_sentences

),

final as (

    select * from duty_statements
    union all
    select * from summary_statements

)

select * from final
