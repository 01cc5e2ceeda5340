{#- The one definition of "covered" (docs/matching.md, "Covered"): a capability is covered by a
    provision statement whose match class is 'match' or 'partial', i.e. whose similarity reaches the
    partial threshold of wfh.toml [matching] (the cut calibrated on the report's Appendix A between
    capabilities with and without identified provision). Fit, surplus and every page use this. -#}
{% macro is_covered(match_class) -%}
    ({{ match_class }} in ('match', 'partial'))
{%- endmacro %}

{#- The weight of alignment in a ranking score, as the match step used it (wfh.toml [matching]):
    `alignment_weight` ranks standards per FOP (`cycle_alignment_share`: the cycle's share of that
    alignment), `capability_alignment_weight` per capability. -#}
{% macro alignment_weight(setting='alignment_weight') -%}
    (select cast(value as double) from {{ source('matching', 'match_settings') }} where setting = '{{ setting }}')
{%- endmacro %}

{#- Status flag of a standard version for views that recommend provision: null when approved. -#}
{% macro status_flag(status) -%}
    case
        when {{ status }} like 'Approved for delivery%' then null
        when {{ status }} = 'Retired' then 'retired'
        when {{ status }} = 'Withdrawn' then 'withdrawn'
        when {{ status }} in ('In development', 'Proposal in development', 'PotentialStandard') then 'in development'
        else lower({{ status }})
    end
{%- endmacro %}
