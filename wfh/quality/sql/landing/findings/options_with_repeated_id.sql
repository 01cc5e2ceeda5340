-- an option id listed twice in one standard version (ST0363 v1.0: kept as published)
select reference_number, version, option_id, count(*) as times from skills_england.options
group by all having count(*) > 1 order by all
