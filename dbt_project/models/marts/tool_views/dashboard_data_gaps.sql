-- What a cycle's data cannot tell, one sentence per topic, for the dashboard to say on the pages a
-- gap affects. Every figure is counted from the cube; the report's own stated capability count
-- comes from the bundle's finding 'stated-capability-counts' when the cycle has one.
--   capabilities   capabilities in the text vs the count the report states
--   proficiency    capabilities that any FOP rates (the rest belong to no FOP in the data)
--   partners       capabilities tagged with supply-chain partners, and how many of those match
--   role_families  FOPs with a role family (role level)
--   themes         how capability-theme links were made (given by the bundle or inferred)

with

cycles as (
    select * from {{ ref('dim_cycle') }}
),

capabilities as (
    select * from {{ ref('dim_capability') }}
),

fops as (
    select * from {{ ref('dim_fop') }}
),

proficiencies as (
    select * from {{ ref('fct_fop_capability_proficiency') }}
),

capability_partners as (
    select * from {{ ref('bridge_capability_partner') }}
),

capability_themes as (
    select * from {{ ref('bridge_capability_theme') }}
),

themes as (
    select * from {{ ref('dim_theme') }}
),

provision_status as (
    select * from {{ ref('capability_provision_status') }}
),

findings as (
    select * from {{ ref('data_quality_findings') }}
),

capability_counts as (
    select
        cycle_id,
        count(*) as capabilities
    from capabilities
    group by cycle_id
),

rated as (
    select
        cycle_id,
        count(distinct capability_key) as rated_capabilities,
        count(*) as fop_capability_pairs,
        count(distinct fop_key) as rated_fops
    from proficiencies
    group by cycle_id
),

partnered as (
    select
        capability_partners.cycle_id,
        count(distinct capability_partners.capability_key) as partnered_capabilities,
        count(distinct capability_partners.capability_key)
        filter (where provision_status.match_class = 'match') as partnered_matched
    from capability_partners
    left join provision_status on capability_partners.capability_key = provision_status.capability_key
    group by capability_partners.cycle_id
),

fop_counts as (
    select
        cycle_id,
        count(*) as fops,
        count(role_level_id) as fops_with_family
    from fops
    group by cycle_id
),

theme_links as (
    select
        cycle_id,
        count(*) filter (where method = 'semantic') as inferred_links,
        count(*) filter (where method = 'bundle') as given_links
    from capability_themes
    group by cycle_id
),

theme_counts as (
    select
        cycle_id,
        count(*) as themes
    from themes
    group by cycle_id
),

stated as (
    select
        cycle_id,
        finding as stated_counts
    from findings
    where finding_id = 'stated-capability-counts'
),

facts as (
    select
        cycles.cycle_id,
        coalesce(capability_counts.capabilities, 0) as capabilities,
        coalesce(rated.rated_capabilities, 0) as rated_capabilities,
        coalesce(rated.fop_capability_pairs, 0) as fop_capability_pairs,
        coalesce(rated.rated_fops, 0) as rated_fops,
        coalesce(partnered.partnered_capabilities, 0) as partnered_capabilities,
        coalesce(partnered.partnered_matched, 0) as partnered_matched,
        coalesce(fop_counts.fops, 0) as fops,
        coalesce(fop_counts.fops_with_family, 0) as fops_with_family,
        coalesce(theme_links.inferred_links, 0) as inferred_links,
        coalesce(theme_links.given_links, 0) as given_links,
        coalesce(theme_counts.themes, 0) as themes,
        stated.stated_counts
    from cycles
    left join capability_counts on cycles.cycle_id = capability_counts.cycle_id
    left join rated on cycles.cycle_id = rated.cycle_id
    left join partnered on cycles.cycle_id = partnered.cycle_id
    left join fop_counts on cycles.cycle_id = fop_counts.cycle_id
    left join theme_links on cycles.cycle_id = theme_links.cycle_id
    left join theme_counts on cycles.cycle_id = theme_counts.cycle_id
    left join stated on cycles.cycle_id = stated.cycle_id
),

notes as (
    select
        cycle_id,
        'capabilities' as topic,
        'The cycle''s text lists ' || capabilities || ' capabilities'
        || coalesce(', while ' || lower(left(stated_counts, 1)) || substr(stated_counts, 2), '')
        || '; capabilities that exist only in the report''s online tool are not in this data.' as note
    from facts

    union all

    select
        cycle_id,
        'proficiency',
        'Proficiency levels exist for ' || rated_capabilities || ' of ' || capabilities
        || ' capabilities (' || fop_capability_pairs || ' FOP × capability ratings in ' || rated_fops
        || ' of ' || fops || ' FOPs); the other ' || (capabilities - rated_capabilities)
        || ' belong to no FOP here, so distributions, fit and horizons rest on those '
        || rated_capabilities || ' only.'
    from facts

    union all

    select
        cycle_id,
        'partners',
        'Supply-chain partners are given for ' || partnered_capabilities || ' of ' || capabilities
        || ' capabilities only (the report tags partners in its list of capabilities without identified'
        || ' provision), so '
        || case
            when partnered_matched = 0 then 'none of them is Matched'
            else 'only ' || partnered_matched || ' of them are Matched'
        end
        || ' and views by partner say little about covered capabilities.'
    from facts

    union all

    select
        cycle_id,
        'role_families',
        case
            when fops_with_family = 0
                then 'The report gives no role families: every FOP shows as ''Unassigned''.'
            else
                fops_with_family || ' of ' || fops
                || ' FOPs have a role family (role level); the others show as ''Unassigned''.'
        end
    from facts

    union all

    select
        cycle_id,
        'themes',
        case
            when inferred_links > 0 and given_links = 0
                then
                    'Themes are inferred: the report lists ' || themes
                    || ' themes but links no capability to one; each link here was assigned by meaning'
                    || ' (similarity of capability and theme texts).'
            when inferred_links > 0
                then
                    given_links || ' capability-theme links come from the report; ' || inferred_links
                    || ' were inferred by meaning.'
            else 'Capability-theme links come from the report.'
        end
    from facts
),

final as (
    select
        cycle_id,
        topic,
        note
    from notes
)

select * from final
order by cycle_id, topic
