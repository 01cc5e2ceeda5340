-- every occupation-skill relation points at an ESCO skill
select r.occupation_uri, r.skill_uri from esco.occupation_skill_relations r
anti join esco.skills s on s.concept_uri = r.skill_uri
