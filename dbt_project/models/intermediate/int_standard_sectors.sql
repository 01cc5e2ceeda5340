-- Where each standard version says its occupation is found: the sector statement of its occupational
-- summary ("This occupation is found in theatres, live entertainment venues, TV and film studios"),
-- shown next to a standard wherever a planner judges whether it fits a role. Of the summary's first
-- three sentences (split by the macro sentence_pieces), the first that names where the occupation is
-- found or employed, or a sector, industry, setting, organisation or employer; else the first that says
-- where its people work ("work in", "working within"); else none. Display only: matching does not read
-- it (docs/matching.md "Domain-adapted alignment").

with standard_versions as (

    select
        standard_key,
        occupational_summary
    from {{ ref('int_standard_versions') }}
    where nullif(trim(occupational_summary), '') is not null

),

split as (

    select
        standard_key,
        {{ sentence_pieces('occupational_summary') }} as pieces
    from standard_versions

),

sentences as (

    select
        standard_key,
        unnest(pieces) as piece,
        unnest(generate_series(1, len(pieces))) as sentence_number
    from split

),

cleaned as (

    select
        standard_key,
        sentence_number,
        trim(regexp_replace(replace(piece, chr(160), ' '), '\s+', ' ', 'g')) as sentence_text
    from sentences
    where sentence_number <= 3

),

cued as (

    select
        *,
        case
            when regexp_matches(
                sentence_text,
                '\b(found|employed|sectors?|industr(y|ies|ial)|settings?|organi[sz]ations?|employers?)\b',
                'i'
            ) then 1
            when regexp_matches(sentence_text, '\bwork(s|ing)?\s+(in|for|across|within)\b', 'i') then 2
        end as cue_strength
    from cleaned

),

final as (

    select
        standard_key,
        arg_min(sentence_text, cue_strength * 10 + sentence_number) as sector_statement
    from cued
    where cue_strength is not null
    group by standard_key

)

select * from final
