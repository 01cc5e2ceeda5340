-- Sentence- and item-level pieces of the prose of every standard version without structured duties
-- (old-template standards), with the section each piece stands in, so that int_provision_statements
-- can classify them. The occupational summary, overview of role and standard information are split
-- into pieces by the macro sentence_pieces (at line breaks, and at . ! ? ; followed by a capital letter
-- or digit, but not after "e.g." or "i.e."); leading bullets are stripped.
-- A heading is a short piece (at most 6 words, no full stop) or a piece ending in ":" whose letters name a section
-- ("Skills", "Knowledge and understanding (know it)", "B eha vi ou r s", "Entry requirements", ...:
-- the source often breaks words with spaces, so headings are compared on their letters only).
-- Every later piece of the same field stands in that section until the next heading. Headings and lines
-- ending in ":" (they introduce a list) are not statements; fragments shorter than
-- `min_summary_sentence_chars` characters or
-- `min_summary_sentence_words` words are dropped, and a piece repeated within the same standard version
-- is kept once (first occurrence). sentence_number counts the kept pieces in field order, so statement
-- ids are stable for unchanged text.

with standard_versions as (

    select * from {{ ref('int_standard_versions') }}
    where not has_structured_duties

),

fields as (

    select
        standard_key,
        reference_number,
        version,
        status,
        1 as field_order,
        'occupational_summary' as source_field,
        occupational_summary as field_text
    from standard_versions
    union all
    select
        standard_key,
        reference_number,
        version,
        status,
        2,
        'overview_of_role',
        overview_of_role
    from standard_versions
    union all
    select
        standard_key,
        reference_number,
        version,
        status,
        3,
        'standard_information',
        standard_information
    from standard_versions

),

split as (

    select
        *,
        {{ sentence_pieces('field_text') }} as pieces
    from fields
    where field_text is not null

),

pieces as (

    select
        standard_key,
        reference_number,
        version,
        status,
        field_order,
        source_field,
        unnest(pieces) as piece,
        unnest(generate_series(1, len(pieces))) as piece_position
    from split

),

cleaned as (

    select
        *,
        trim(regexp_replace(regexp_replace(replace(piece, chr(160), ' '), '^[\s•·*\-–—]+', ''), '\s+', ' ', 'g'))
            as sentence_text
    from pieces

),

heading_candidates as (

    select
        *,
        regexp_replace(lower(sentence_text), '[^a-z]', '', 'g') as letters,
        (len(string_split(sentence_text, ' ')) <= 6 and not sentence_text like '%.')
        or sentence_text like '%:' as is_heading_shaped
    from cleaned

),

headings as (

    -- The section a heading opens (null: not a heading). Knowledge together with skills is 'mixed'.
    select
        *,
        case
            when not is_heading_shaped then null
            when
                regexp_matches(
                    letters,
                    '^(typical|duration|entry|qualification|mandatoryqualification|review|renewal'
                    || '|englishandmaths|englishmaths|linktoprofessional|professionalrecognition'
                    || '|professionalregistration|progression|level|typicaljob|jobtitles|rolesinclude'
                    || '|typicaljobrolesinclude|standardreview|sectionadditionalinformation'
                    || '|additionalinformation|endpointassessment|apprenticeshipfunding|funding)'
                )
                then 'administrative'
            when letters like '%knowledge%' and letters like '%skill%' then 'mixed'
            when
                letters like '%behaviour%' or letters like '%liveit%' or letters like '%attitude%'
                or letters = 'values' then 'behaviour'
            when
                letters like '%knowledge%' or letters like '%knowit%' or letters like '%knowandunderstand%'
                or letters like '%knowsandunderstands%' then 'knowledge'
            when
                letters like '%skill%' or letters like '%showit%' or letters like '%willbeableto%'
                or letters like '%competenc%' then 'skill'
            when letters like '%whatisrequired%' or letters like '%requirements%' then 'mixed'
            when regexp_matches(letters, '^(occupation|occupationalprofile|roleprofile|overview|profile|role)$')
                then 'occupation_summary'
        end as heading_kind
    from heading_candidates

),

sectioned as (

    select
        *,
        last_value(heading_kind ignore nulls) over (
            partition by standard_key, source_field
            order by piece_position
            rows between unbounded preceding and current row
        ) as section_kind
    from headings

),

long_enough as (

    select *
    from sectioned
    where
        heading_kind is null
        and not sentence_text like '%:'  -- a line introducing a list is not a statement
        and length(sentence_text) >= {{ var('min_summary_sentence_chars', 25) }}
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
        sentence_text,
        section_kind
    from numbered

)

select * from final
