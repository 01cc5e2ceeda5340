-- a link's ksb_code is the code of its K/S/B item, and null exactly when the item is not among the
-- standard version's items
select l.reference_number, l.version, l.duty_id, l.ksb_id, l.ksb_code, k.ksb_code as item_code
from skills_england.duty_ksb_links l
left join skills_england.ksb_items k
  on k.reference_number = l.reference_number and k.version = l.version
 and k.ksb_type = l.ksb_type and k.ksb_id = l.ksb_id
where l.ksb_code is distinct from k.ksb_code
