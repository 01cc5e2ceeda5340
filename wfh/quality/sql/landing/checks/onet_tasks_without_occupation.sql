-- every O*NET task belongs to an O*NET occupation
select t.onet_soc_code, t.task_id from onet.task_statements t
anti join onet.occupation_data o using (onet_soc_code)
