with partners as (

    select * from {{ ref('stg_cycles__supply_chain_partners') }}

),

final as (

    select
        {{ cycle_key('cycle_id', 'partner_id') }} as partner_key,
        cycle_id,
        partner_id,
        partner_number,
        trim(partner_name) as name,
        trim(regexp_replace(description, '\s+', ' ', 'g')) as description,
        provenance
    from partners

)

select * from final
