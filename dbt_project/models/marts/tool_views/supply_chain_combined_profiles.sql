-- Combined organisational capability profiles: for every combination of a cycle's supply-chain
-- partners (every non-empty subset, 2^n - 1 of them for n partners), the union of the
-- capabilities tagged with any partner of the combination, with the partners of the
-- combination that need each capability. An organisation active in, say, logistics and the
-- NHS workforce reads the rows whose partner_combination names exactly those two partners.
-- The subsets grow as 2^n, so cycles with more than var combined_profiles_max_partners
-- (default 10) partners are left out; query supply_chain_capabilities with a partner filter
-- for those (docs/queries/supply_chain_capabilities.sql shows how).

{% set max_partners = var('combined_profiles_max_partners', 10) %}

with

partners as (
    select * from {{ ref('dim_supply_chain_partner') }}
),

supply_chain as (
    select * from {{ ref('supply_chain_capabilities') }}
),

numbered_partners as (
    select
        cycle_id,
        partner_key,
        name,
        row_number() over (partition by cycle_id order by partner_number, partner_key) - 1
            as partner_bit,
        count(*) over (partition by cycle_id) as partners_in_cycle
    from partners
),

combinations as (
    select distinct
        numbered_partners.cycle_id,
        combos.combination_number
    from numbered_partners,
        range(1, cast(pow(2, numbered_partners.partners_in_cycle) as bigint)) as combos (combination_number)
    where numbered_partners.partners_in_cycle <= {{ max_partners }}
),

combination_members as (
    select
        combinations.cycle_id,
        combinations.combination_number,
        numbered_partners.partner_key,
        numbered_partners.name,
        numbered_partners.partner_bit
    from combinations
    inner join numbered_partners
        on
            combinations.cycle_id = numbered_partners.cycle_id
            and (combinations.combination_number >> numbered_partners.partner_bit) & 1 = 1
),

combination_labels as (
    select
        cycle_id,
        combination_number,
        string_agg(name, ' + ' order by partner_bit) as partner_combination,
        count(*) as partners_in_combination
    from combination_members
    group by cycle_id, combination_number
),

combined_capabilities as (
    select
        combination_members.cycle_id,
        combination_members.combination_number,
        supply_chain.capability_key,
        any_value(supply_chain.capability_statement) as capability_statement,
        any_value(supply_chain.match_class) as match_class,
        string_agg(combination_members.name, '; ' order by combination_members.partner_bit)
            as partners_needing
    from combination_members
    inner join supply_chain on combination_members.partner_key = supply_chain.partner_key
    group by
        combination_members.cycle_id,
        combination_members.combination_number,
        supply_chain.capability_key
),

final as (
    select
        combination_labels.cycle_id,
        combination_labels.combination_number,
        combination_labels.partner_combination,
        combination_labels.partners_in_combination,
        count(*) over (
            partition by combination_labels.cycle_id, combination_labels.combination_number
        ) as combination_capabilities,
        combined_capabilities.capability_key,
        combined_capabilities.capability_statement,
        combined_capabilities.match_class,
        combined_capabilities.partners_needing
    from combination_labels
    inner join combined_capabilities
        on
            combination_labels.cycle_id = combined_capabilities.cycle_id
            and combination_labels.combination_number = combined_capabilities.combination_number
)

select * from final
order by cycle_id, combination_number, capability_key
