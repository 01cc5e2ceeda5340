with source as (

    select * from {{ source('cycles', 'findings') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(finding_id as varchar) as finding_id,
        cast(severity as varchar) as severity,
        cast(finding as varchar) as finding,
        cast(detail as varchar) as detail,
        cast(provenance as varchar) as provenance,
        _loaded_at
    from source

)

select * from renamed
