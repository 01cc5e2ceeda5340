-- Our provision classification beside the report's own, for every capability the report
-- classifies: those it lists in Appendix A as without identified provision
-- (report_without_provision = true) and those it highlights without listing them there
-- (false). We count a capability as without provision when its best match class is not 'match'
-- (no well-matched statement), the same rule capability_gap_actions uses; agrees is true when
-- both sides say the same. explanation says in words what differs and why.

with

capabilities as (
    select * from {{ ref('dim_capability') }}
),

provision_status as (
    select * from {{ ref('capability_provision_status') }}
),

classified as (
    select
        capabilities.cycle_id,
        capabilities.capability_key,
        capabilities.statement as capability_statement,
        coalesce(capabilities.in_appendix_a, false) as report_without_provision,
        provision_status.match_class as our_match_class,
        provision_status.match_class <> 'match' as our_without_provision,
        provision_status.best_similarity,
        provision_status.best_standard_reference,
        provision_status.best_standard_title,
        provision_status.best_statement_text
    from capabilities
    inner join provision_status
        on capabilities.capability_key = provision_status.capability_key
    where capabilities.in_appendix_a or capabilities.highlight_number is not null
),

final as (
    select
        cycle_id,
        capability_key,
        capability_statement,
        report_without_provision,
        our_match_class,
        report_without_provision = our_without_provision as agrees,
        best_similarity,
        best_standard_title,
        best_statement_text,
        case
            when report_without_provision and our_match_class = 'none'
                then
                    'Agree: without provision; no candidate statement reaches the partial threshold'
                    || coalesce(
                        ' (best ' || round(best_similarity, 3) || ', '
                        || best_standard_reference || ')', ''
                    )
            when report_without_provision and our_match_class = 'partial'
                then
                    'Agree: without adequate provision; only a partial match ('
                    || round(best_similarity, 3) || ') in ' || best_standard_reference
                    || ' ' || best_standard_title
            when report_without_provision
                then
                    'Differ: the report lists it in Appendix A but we find a match ('
                    || round(best_similarity, 3) || ') in ' || best_standard_reference
                    || ' ' || best_standard_title
                    || '; the statement may be worded close to the capability without covering its context'
            when our_match_class = 'match'
                then
                    'Agree: provision exists; matched (' || round(best_similarity, 3) || ') in '
                    || best_standard_reference || ' ' || best_standard_title
            else
                'Differ: the report does not list it in Appendix A but our best candidate is only '
                || our_match_class
                || coalesce(' (' || round(best_similarity, 3) || ', ' || best_standard_reference || ')', '')
                || '; the report matched against its own 649 standards and thresholds'
        end as explanation
    from classified
)

select * from final
order by cycle_id, agrees, capability_key
