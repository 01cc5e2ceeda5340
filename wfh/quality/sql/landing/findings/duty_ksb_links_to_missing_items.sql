-- links to a K/S/B item the standard version does not list (kept, flagged by a null ksb_code; a quirk
-- of the source)
select l.reference_number, l.version, l.duty_id, l.ksb_type, l.ksb_id
from skills_england.duty_ksb_links l where l.ksb_code is null
