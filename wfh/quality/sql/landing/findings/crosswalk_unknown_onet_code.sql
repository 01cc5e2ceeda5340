-- crosswalk O*NET-SOC codes that are not occupations of the landed O*NET release
select c.esco_code, c.onet_soc_code from esco_onet_crosswalk.crosswalk c
anti join onet.occupation_data o using (onet_soc_code)
