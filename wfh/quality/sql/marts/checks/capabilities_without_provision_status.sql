-- every capability of every cycle has a provision-status row
select c.cycle_id, c.capability_key from marts.dim_capability c
anti join marts.capability_provision_status s using (capability_key)
union all
select y.cycle_id, null from marts.dim_cycle y
anti join marts.capability_provision_status s using (cycle_id)
