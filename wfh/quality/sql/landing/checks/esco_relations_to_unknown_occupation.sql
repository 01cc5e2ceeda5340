-- every relation's occupation is in the release, except rows flagged occupation_in_release = false
-- (the flag agrees with the occupations table)
select r.occupation_uri, r.skill_uri, r.occupation_in_release
from esco.occupation_skill_relations r
left join esco.occupations o on o.concept_uri = r.occupation_uri
where r.occupation_in_release is distinct from (o.concept_uri is not null)
