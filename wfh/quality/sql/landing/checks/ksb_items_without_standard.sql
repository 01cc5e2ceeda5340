-- every K/S/B item belongs to a standard version
select k.reference_number, k.version, k.ksb_id from skills_england.ksb_items k
anti join skills_england.standards s using (reference_number, version)
