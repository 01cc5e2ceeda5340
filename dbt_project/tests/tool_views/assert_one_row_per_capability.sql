-- The capability-grain marts hold exactly one row for every capability of dim_capability.

with

capabilities as (
    select capability_key from {{ ref('dim_capability') }}
),

per_capability_marts as (
    select
        'capability_provision_status' as model,
        capability_key
    from {{ ref('capability_provision_status') }}
    union all
    select
        'fop_distribution',
        capability_key
    from {{ ref('fop_distribution') }}
    union all
    select
        'future_ksb_summary',
        capability_key
    from {{ ref('future_ksb_summary') }}
),

models as (
    select distinct model from per_capability_marts
),

expected as (
    select
        models.model,
        capabilities.capability_key
    from capabilities
    cross join models
)

(
    select
        model,
        capability_key,
        'missing' as problem
    from expected
    except
    select
        model,
        capability_key,
        'missing'
    from per_capability_marts
)
union all
select
    model,
    capability_key,
    'repeated'
from per_capability_marts
group by model, capability_key
having count(*) > 1
