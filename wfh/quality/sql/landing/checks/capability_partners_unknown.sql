-- every capability-partner tag joins a capability and a partner of its cycle
select p.cycle_id, p.capability_id, p.partner_id from cycles.capability_partners p
where (p.cycle_id, p.capability_id) not in (select cycle_id, capability_id from cycles.capabilities)
   or (p.cycle_id, p.partner_id) not in (select cycle_id, partner_id from cycles.supply_chain_partners)
