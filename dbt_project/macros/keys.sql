{#- The key rule for everything that belongs to a cycle: `<cycle_id>:<id>` (stable, from source ids). -#}
{% macro cycle_key(cycle_id, id) -%}
    ({{ cycle_id }} || ':' || cast({{ id }} as varchar))
{%- endmacro %}

{#- A standard version's key: `<reference>_<version>`, e.g. ST0473_1.1. -#}
{% macro standard_key(reference_number, version) -%}
    ({{ reference_number }} || '_' || {{ version }})
{%- endmacro %}

{#- Proficiency levels of the foresighting method. -#}
{% macro proficiency_label(proficiency) -%}
    case {{ proficiency }}
        when 1 then 'Awareness'
        when 2 then 'Practitioner'
        when 3 then 'Expert'
    end
{%- endmacro %}
