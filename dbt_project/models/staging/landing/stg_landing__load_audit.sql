with source as (

    select * from {{ source('landing', 'load_audit') }}

),

renamed as (

    select
        cast(source as varchar) as source_name,
        cast(version as varchar) as source_version,
        cast(table_name as varchar) as table_name,
        cast(file as varchar) as file,
        cast(sha256 as varchar) as sha256,
        cast(rows as bigint) as row_count,
        loaded_at,
        cast(duration_s as double) as duration_s
    from source

)

select * from renamed
