-- Future Occupational Profiles of every cycle with a cycle-qualified key (`<cycle_id>:<fop_id>`),
-- their role level resolved to its name, and the priority flag defaulting to false.

with fops as (

    select * from {{ ref('stg_cycles__fops') }}

),

role_levels as (

    select * from {{ ref('stg_cycles__role_levels') }}

),

final as (

    select
        {{ cycle_key('fops.cycle_id', 'fops.fop_id') }} as fop_key,
        fops.cycle_id,
        fops.fop_id,
        trim(fops.fop_name) as name,
        nullif(trim(regexp_replace(fops.description, '\s+', ' ', 'g')), '') as description,
        coalesce(fops.is_priority, false) as is_priority,
        fops.role_level_id,
        case
            when fops.role_level_id is not null
                then {{ cycle_key('fops.cycle_id', 'fops.role_level_id') }}
        end as role_level_key,
        trim(role_levels.role_level_name) as role_level_name,
        fops.provenance
    from fops
    left join role_levels
        on
            fops.cycle_id = role_levels.cycle_id
            and fops.role_level_id = role_levels.role_level_id

)

select * from final
