-- FOPs the report rates on no capability (the report's own gap)
select f.cycle_id, f.fop_id, f.name from cycles.fops f
anti join cycles.fop_capability_proficiency p using (cycle_id, fop_id)
