-- crosswalk ESCO codes (from ESCO 1.1.0) that match no occupation of the landed release
select c.esco_code, c.esco_title from esco_onet_crosswalk.crosswalk c
where c.code_kind = 'esco_occupation' and c.esco_occupation_uri is null
