-- FOPs the report rates on no capability (the report's own gap)
select f.cycle_id, f.fop_key from marts.dim_fop f
where (f.cycle_id, f.fop_id) not in
      (select cycle_id, fop_id from staging.stg_cycles__fop_capability_proficiency)
