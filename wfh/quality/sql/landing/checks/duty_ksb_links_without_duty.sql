-- every duty-K/S/B link starts at a duty of the same standard version
select l.reference_number, l.version, l.duty_id from skills_england.duty_ksb_links l
anti join skills_england.duties d using (reference_number, version, duty_id)
