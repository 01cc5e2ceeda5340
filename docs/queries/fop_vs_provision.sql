-- For each priority FOP: how many of its capabilities does none of its top 10 standards match
-- (the gap no existing route closes), and how many does its best-fitting standard match?
-- Run: wfh sql "$(cat docs/queries/fop_vs_provision.sql)"
with per_capability as (
    select
        provision.fop_name,
        provision.capability_key,
        bool_or(provision.is_matched) as matched_by_a_top_standard,
        bool_or(provision.is_matched and provision.fit_rank = 1) as matched_by_best_standard
    from marts.fop_vs_provision as provision
    inner join marts.dim_fop as fops on provision.fop_key = fops.fop_key
    where fops.is_priority
    group by provision.fop_name, provision.capability_key
)

select
    fop_name,
    count(*) as capabilities,
    count(*) filter (where matched_by_best_standard) as matched_by_best_standard,
    count(*) filter (where not matched_by_a_top_standard) as matched_by_none_of_top_10
from per_capability
group by fop_name
order by matched_by_none_of_top_10 desc, fop_name;
