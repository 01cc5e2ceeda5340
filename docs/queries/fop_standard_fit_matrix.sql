-- Which standards appear in the most priority FOPs' top-10 heat-map columns (candidates for a
-- shared upskilling route)?
-- Run: wfh sql "$(cat docs/queries/fop_standard_fit_matrix.sql)"
select
    matrix.standard_label,
    count(*) as priority_fops,
    round(avg(matrix.fit), 3) as mean_fit,
    round(avg(matrix.surplus), 3) as mean_surplus
from marts.fop_standard_fit_matrix as matrix
inner join marts.dim_fop as fops on matrix.fop_key = fops.fop_key
where fops.is_priority
group by matrix.standard_label
order by priority_fops desc, mean_fit desc
limit 10;
