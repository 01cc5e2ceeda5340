with role_levels as (

    select * from {{ ref('stg_cycles__role_levels') }}

),

final as (

    select
        {{ cycle_key('cycle_id', 'role_level_id') }} as role_level_key,
        cycle_id,
        role_level_id,
        trim(role_level_name) as name,
        trim(regexp_replace(description, '\s+', ' ', 'g')) as description,
        provenance
    from role_levels

)

select * from final
