-- both ends of every skill-skill relation are ESCO skills
select r.original_skill_uri, r.related_skill_uri from esco.skill_skill_relations r
where r.original_skill_uri not in (select concept_uri from esco.skills)
   or r.related_skill_uri not in (select concept_uri from esco.skills)
