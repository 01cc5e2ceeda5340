-- every FOP the report rates has at least one capability in the marts (a FOP the report rates on no
-- capability at all is the report's own gap: the finding fops_without_capability_in_report)
select f.cycle_id, f.fop_key from marts.dim_fop f
anti join marts.fct_fop_capability_proficiency p using (fop_key)
where (f.cycle_id, f.fop_id) in
      (select cycle_id, fop_id from staging.stg_cycles__fop_capability_proficiency)
