-- the report's own inconsistencies found by the extractor (cycles.findings, severity warning)
select cycle_id || ':' || finding_id as finding_key from cycles.findings where severity = 'warning' order by all
