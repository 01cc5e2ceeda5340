-- every duty belongs to a standard version
select d.reference_number, d.version, d.duty_id from skills_england.duties d
anti join skills_england.standards s using (reference_number, version)
