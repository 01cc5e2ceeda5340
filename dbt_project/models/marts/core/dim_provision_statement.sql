with statements as (

    select * from {{ ref('int_provision_statements') }}

),

standard_versions as (

    select * from {{ ref('int_standard_versions') }}

),

final as (

    select
        statements.statement_id,
        statements.standard_key,
        statements.reference_number,
        statements.version,
        statements.statement_kind,
        statements.source_field,
        statements.statement_number,
        statements.statement_text,
        statements.is_core_duty,
        statements.standard_status,
        statements.is_match_candidate,
        standard_versions.is_latest_approved_version,
        standard_versions.is_preferred_version
    from statements
    inner join standard_versions on statements.standard_key = standard_versions.standard_key

)

select * from final
