with source as (

    select * from {{ source('cycles', 'cycles') }}

),

renamed as (

    select
        cast(cycle_id as varchar) as cycle_id,
        cast(title as varchar) as cycle_title,
        cast(sponsor as varchar) as sponsor,
        cast(centre_of_innovation as varchar) as centre_of_innovation,
        cast(workshop_start as date) as workshop_start_date,
        cast(workshop_end as date) as workshop_end_date,
        cast(report_date as date) as report_date,
        cast(source_document as varchar) as source_document,
        _loaded_at
    from source

)

select * from renamed
