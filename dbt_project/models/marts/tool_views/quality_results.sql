-- Every Great Expectations result of the quality gates (landing and marts), one row per
-- expectation per run, as the refresh flow recorded them in ops.quality_results.

with

results as (
    select * from {{ source('ops', 'quality_results') }}
),

final as (
    select
        run_id,
        run_at,
        checkpoint,
        suite,
        expectation,
        column_name,
        success,
        observed_value,
        severity
    from results
)

select * from final
order by run_at, checkpoint, suite, expectation, column_name
