-- every resolved crosswalk ESCO URI is an occupation of the landed ESCO release
select c.esco_code, c.esco_occupation_uri from esco_onet_crosswalk.crosswalk c
where c.esco_occupation_uri not in (select concept_uri from esco.occupations)
