-- Sliced by theme: which themes have the most capabilities without identified provision?
-- (Joins the theme bridge; the same works with bridge_capability_partner for partners.)
-- Run: wfh sql "$(cat docs/queries/capability_provision_status.sql)"
select
    themes.name as theme,
    count(*) as capabilities,
    count(*) filter (where status.match_class = 'none') as without_provision,
    count(*) filter (where status.match_class = 'partial') as partial_only,
    round(avg(status.best_similarity), 3) as mean_best_similarity
from marts.capability_provision_status as status
inner join marts.bridge_capability_theme as bridge on status.capability_key = bridge.capability_key
inner join marts.dim_theme as themes on bridge.theme_key = themes.theme_key
group by themes.name
order by without_provision desc, capabilities desc;
