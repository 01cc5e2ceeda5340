-- Every refresh run, failed ones included, as the refresh flow recorded them in
-- ops.refresh_runs: when it ran, how it ended, the source versions it used, the rows per mart
-- it published and the outcome of its quality gates.

with

runs as (
    select * from {{ source('ops', 'refresh_runs') }}
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        status,
        source_versions,
        rows_per_mart,
        quality_status
    from runs
)

select * from final
order by started_at
