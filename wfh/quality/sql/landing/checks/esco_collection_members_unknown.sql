-- every collection member is an ESCO skill (or occupation)
select m.collection, m.concept_uri from esco.skill_collection_members m
anti join esco.skills s using (concept_uri)
union all
select m.collection, m.concept_uri from esco.occupation_collection_members m
anti join esco.occupations o using (concept_uri)
