-- Many-to-many: the supply-chain partners each capability is tagged with.

with capability_partners as (

    select * from {{ ref('stg_cycles__capability_partners') }}

),

final as (

    select distinct
        {{ cycle_key('cycle_id', 'capability_id') }} as capability_key,
        {{ cycle_key('cycle_id', 'partner_id') }} as partner_key,
        cycle_id
    from capability_partners

)

select * from final
