-- Sentence-level statements for standard versions that have no structured duties, so that no standard
-- is invisible to matching. The occupational summary, overview of role and standard information are
-- split into sentences (at line breaks, and at . ! ? ; followed by a capital letter or digit, but not
-- after "e.g." or "i.e."), leading bullets are stripped,
-- fragments shorter than `min_summary_sentence_chars` characters or `min_summary_sentence_words` words
-- are dropped, and a sentence repeated within the same standard version is kept once (first occurrence).
-- sentence_number counts the kept sentences in field order, so statement ids are stable for unchanged text.

with standard_versions as (

    select * from {{ ref('int_standard_versions') }}
    where not has_structured_duties

),

fields as (

    select standard_key, reference_number, version, status, 1 as field_order,
           'occupational_summary' as source_field, occupational_summary as field_text
    from standard_versions
    union all
    select standard_key, reference_number, version, status, 2, 'overview_of_role', overview_of_role
    from standard_versions
    union all
    select standard_key, reference_number, version, status, 3, 'standard_information', standard_information
    from standard_versions

),

protected as (

    -- "e.g." and "i.e." end no sentence: glue them to the next word with a no-break space for now.
    select
        *,
        regexp_replace(field_text, '\b(e\.g|i\.e)\.\s+', '\1.' || chr(160), 'gi') as protected_text
    from fields
    where field_text is not null

),

split as (

    select
        *,
        string_split(
            regexp_replace(protected_text, '([.!?;])\s+([A-Z0-9])', '\1' || chr(10) || '\2', 'g'),
            chr(10)
        ) as pieces
    from protected

),

pieces as (

    select
        standard_key, reference_number, version, status, field_order, source_field,
        unnest(pieces) as piece,
        unnest(generate_series(1, len(pieces))) as piece_position
    from split

),

cleaned as (

    select
        *,
        trim(regexp_replace(regexp_replace(replace(piece, chr(160), ' '), '^[\s•·*\-–—]+', ''), '\s+', ' ', 'g')) as sentence_text
    from pieces

),

long_enough as (

    select *
    from cleaned
    where length(sentence_text) >= {{ var('min_summary_sentence_chars', 25) }}
      and len(string_split(sentence_text, ' ')) >= {{ var('min_summary_sentence_words', 4) }}

),

first_occurrences as (

    select *
    from long_enough
    qualify row_number() over (
        partition by standard_key, lower(sentence_text)
        order by field_order, piece_position
    ) = 1

),

numbered as (

    select
        *,
        row_number() over (partition by standard_key order by field_order, piece_position) as sentence_number
    from first_occurrences

),

final as (

    select
        'summary:' || reference_number || ':' || version || ':' || sentence_number as statement_id,
        standard_key,
        reference_number,
        version,
        status as standard_status,
        source_field,
        sentence_number,
        sentence_text
    from numbered

)

select * from final
