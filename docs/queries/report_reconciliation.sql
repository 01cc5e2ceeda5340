-- Where does our provision classification differ from the report's Appendix A, and why?
-- Run: wfh sql "$(cat docs/queries/report_reconciliation.sql)"
select
    report_without_provision,
    our_match_class,
    count(*) as capabilities,
    count(*) filter (where agrees) as agreeing,
    any_value(explanation) as example_explanation
from marts.report_reconciliation
group by report_without_provision, our_match_class
order by report_without_provision desc, our_match_class;
