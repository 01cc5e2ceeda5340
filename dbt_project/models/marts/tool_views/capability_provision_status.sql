-- One row per capability: its best provision (status-aware: from capability_standard_match, an
-- approved standard first, then the strongest match class, then the ranking score, so among
-- equally strong statements the standard best aligned with the cycle) and that statement's match
-- class, plus the capability's supply-chain partners and themes. A capability with no candidate at
-- all has match class 'none'.

with

capabilities as (
    select * from {{ ref('dim_capability') }}
),

matches as (
    select * from {{ ref('capability_standard_match') }}
),

statement_candidates as (
    select * from {{ ref('capability_provision_match') }}
),

-- report-style: the strongest class among the 10 statement-level candidates of every status
all_status_class as (
    select
        capability_key,
        case min(case match_class when 'match' then 1 when 'partial' then 2 else 3 end)
            when 1 then 'match' when 2 then 'partial' else 'none'
        end as match_class_all_statuses
    from statement_candidates
    group by capability_key
),

capability_partners as (
    select * from {{ ref('bridge_capability_partner') }}
),

partners as (
    select * from {{ ref('dim_supply_chain_partner') }}
),

capability_themes as (
    select * from {{ ref('bridge_capability_theme') }}
),

themes as (
    select * from {{ ref('dim_theme') }}
),

best_match as (
    select *
    from matches
    qualify row_number() over (
        partition by capability_key
        order by
            standard_status = 'Approved for delivery' desc,
            case match_class when 'match' then 1 when 'partial' then 2 else 3 end,
            score desc,
            rank asc
    ) = 1
),

partner_lists as (
    select
        capability_partners.capability_key,
        string_agg(partners.name, '; ' order by partners.partner_number) as partners
    from capability_partners
    inner join partners on capability_partners.partner_key = partners.partner_key
    group by capability_partners.capability_key
),

theme_lists as (
    select
        capability_themes.capability_key,
        string_agg(distinct themes.name, '; ' order by themes.name) as themes
    from capability_themes
    inner join themes on capability_themes.theme_key = themes.theme_key
    group by capability_themes.capability_key
),

final as (
    select
        capabilities.cycle_id,
        capabilities.capability_id,
        capabilities.capability_key,
        capabilities.statement as capability_statement,
        best_match.statement_similarity as best_similarity,
        coalesce(best_match.match_class, 'none') as match_class,
        best_match.standard_key as best_standard_key,
        best_match.standard_reference as best_standard_reference,
        best_match.standard_title as best_standard_title,
        best_match.best_statement as best_statement_text,
        best_match.standard_status as best_standard_status,
        best_match.route as best_standard_route,
        best_match.alignment as best_alignment,
        best_match.shared_terms as best_shared_terms,
        coalesce(all_status_class.match_class_all_statuses, 'none') as match_class_all_statuses,
        partner_lists.partners,
        theme_lists.themes
    from capabilities
    left join best_match on capabilities.capability_key = best_match.capability_key
    left join all_status_class on capabilities.capability_key = all_status_class.capability_key
    left join partner_lists on capabilities.capability_key = partner_lists.capability_key
    left join theme_lists on capabilities.capability_key = theme_lists.capability_key
)

select * from final
order by cycle_id, capability_key
