-- The "Supply Chain Capabilities" page: one row per supply-chain partner and capability tagged
-- with it, with the capability's provision match class. Filtering on partner_key gives that
-- partner's organisational capability profile; supply_chain_combined_profiles gives the
-- profile of an organisation active in several partner areas.

with

capability_partners as (
    select * from {{ ref('bridge_capability_partner') }}
),

partners as (
    select * from {{ ref('dim_supply_chain_partner') }}
),

provision_status as (
    select * from {{ ref('capability_provision_status') }}
),

final as (
    select
        provision_status.cycle_id,
        partners.partner_key,
        partners.name as partner_name,
        provision_status.capability_key,
        provision_status.capability_statement,
        provision_status.match_class
    from capability_partners
    inner join partners on capability_partners.partner_key = partners.partner_key
    inner join provision_status
        on capability_partners.capability_key = provision_status.capability_key
)

select * from final
order by cycle_id, partner_name, capability_key
