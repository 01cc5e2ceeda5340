-- every proficiency rating joins a FOP and a capability of its cycle
select p.cycle_id, p.fop_id, p.capability_id from cycles.fop_capability_proficiency p
where (p.cycle_id, p.fop_id) not in (select cycle_id, fop_id from cycles.fops)
   or (p.cycle_id, p.capability_id) not in (select cycle_id, capability_id from cycles.capabilities)
