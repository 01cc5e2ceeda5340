-- Most frequent knowledge and skills tags per cycle, ours beside the report's published ones
-- (its Tables 24-25). our_frequency = number of the cycle's capabilities tagged with the ESCO
-- concept; our_rank = its rank within the cycle and tag type (1 = most frequent, ties share a
-- rank). Tags are paired with the report's by case-insensitive label; a tag only we found has
-- empty report columns, a published tag we did not find has empty our columns.

with

capabilities as (
    select * from {{ ref('dim_capability') }}
),

esco_tags as (
    select * from {{ source('matching', 'capability_esco_skill_tags') }}
),

esco_skills as (
    select * from {{ ref('dim_esco_skill') }}
),

published as (
    select * from {{ ref('stg_cycles__tag_frequencies') }}
),

our_frequencies as (
    select
        capabilities.cycle_id,
        esco_tags.tag_type,
        esco_skills.preferred_label as tag,
        count(distinct esco_tags.capability_key) as our_frequency
    from esco_tags
    inner join capabilities on esco_tags.capability_key = capabilities.capability_key
    inner join esco_skills on esco_tags.esco_skill_uri = esco_skills.esco_skill_uri
    group by capabilities.cycle_id, esco_tags.tag_type, esco_skills.preferred_label
),

our_ranked as (
    select
        *,
        rank() over (partition by cycle_id, tag_type order by our_frequency desc) as our_rank
    from our_frequencies
),

final as (
    select
        coalesce(our_ranked.cycle_id, published.cycle_id) as cycle_id,
        coalesce(our_ranked.tag_type, published.tag_type) as tag_type,
        coalesce(our_ranked.tag, published.tag) as tag,
        our_ranked.our_frequency,
        cast(our_ranked.our_rank as integer) as our_rank,
        published.frequency as report_frequency,
        published.tag_rank as report_rank
    from our_ranked
    full outer join published
        on
            our_ranked.cycle_id = published.cycle_id
            and our_ranked.tag_type = published.tag_type
            and lower(trim(our_ranked.tag)) = lower(trim(published.tag))
)

select * from final
order by cycle_id, tag_type, coalesce(our_rank, 999999), report_rank, tag
