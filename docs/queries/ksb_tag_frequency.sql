-- Our ten most frequent knowledge and skills tags beside the report's published frequencies
-- (Tables 24-25). Published tags we do not find appear with empty our_ columns further down.
-- Run: wfh sql "$(cat docs/queries/ksb_tag_frequency.sql)"
select
    tag_type,
    our_rank,
    tag,
    our_frequency,
    report_rank,
    report_frequency
from marts.ksb_tag_frequency
where our_rank <= 10 or report_rank is not null
order by tag_type, our_rank nulls last, report_rank;
