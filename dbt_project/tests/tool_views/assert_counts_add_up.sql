-- Counts that must agree across marts: the FOP distribution per level adds up to its total and
-- to the proficiency facts; the overview's matched + partial + unmatched equals its capabilities;
-- every capability without adequate provision has a gap action, and no other capability has.

with

distribution as (
    select * from {{ ref('fop_distribution') }}
),

facts as (
    select
        capability_key,
        count(*) as fops
    from {{ ref('fct_fop_capability_proficiency') }}
    group by capability_key
),

status as (
    select * from {{ ref('capability_provision_status') }}
),

gap_actions as (
    select * from {{ ref('capability_gap_actions') }}
)

select
    'fop_distribution' as model,
    distribution.capability_key as item
from distribution
left join facts on distribution.capability_key = facts.capability_key
where
    distribution.fops_total
    <> distribution.fops_awareness + distribution.fops_practitioner + distribution.fops_expert
    or distribution.fops_total <> coalesce(facts.fops, 0)

union all

select
    'data_capture_overview',
    cycle_id
from {{ ref('data_capture_overview') }}
where matched_capabilities + partial_capabilities + unmatched_capabilities <> capabilities

union all

select
    'capability_gap_actions',
    coalesce(status.capability_key, gap_actions.capability_key)
from (
    select * from status
    where match_class <> 'match'
) as status
full outer join gap_actions on status.capability_key = gap_actions.capability_key
where status.capability_key is null or gap_actions.capability_key is null
