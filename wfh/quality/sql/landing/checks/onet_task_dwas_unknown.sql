-- every task-DWA link joins an O*NET task and a DWA
select l.onet_soc_code, l.task_id, l.dwa_id from onet.tasks_to_dwas l
where (l.onet_soc_code, l.task_id) not in (select onet_soc_code, task_id from onet.task_statements)
   or l.dwa_id not in (select dwa_id from onet.dwa_reference)
