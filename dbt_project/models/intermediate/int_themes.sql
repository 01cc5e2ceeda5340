-- Themes of every cycle with a cycle-qualified key (`<cycle_id>:<theme_id>`).

with themes as (

    select * from {{ ref('stg_cycles__themes') }}

),

final as (

    select
        {{ cycle_key('cycle_id', 'theme_id') }} as theme_key,
        cycle_id,
        theme_id,
        trim(theme_name) as name,
        trim(regexp_replace(description, '\s+', ' ', 'g')) as description,
        provenance
    from themes

)

select * from final
