-- capabilities where our match class disagrees with the report's own finding
-- (report_reconciliation.agrees is false)
select cycle_id, capability_key from marts.report_reconciliation where not agrees order by all
