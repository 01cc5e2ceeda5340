{#- The one sentence-splitting rule for prose of the standards: a list of the pieces of `text`, split
    at line breaks and at . ! ? ; followed by a capital letter or digit, but not after "e.g." or "i.e."
    (those are glued to the next word with a no-break space, chr(160): replace it back with a space
    when cleaning a piece). Used by int_summary_sentences and int_standard_sectors. -#}
{% macro sentence_pieces(text) -%}
    string_split(
        regexp_replace(
            regexp_replace({{ text }}, '\b(e\.g|i\.e)\.\s+', '\1.' || chr(160), 'gi'),
            '([.!?;])\s+([A-Z0-9])',
            '\1' || chr(10) || '\2',
            'g'
        ),
        chr(10)
    )
{%- endmacro %}
