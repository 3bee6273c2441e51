with

source as (

    select * from {{ source('ecommerce', 'users') }}

),

renamed as (

    select
        id as user_id,
        received_at as received_at_tstamp,
        uuid_ts as uuid_tstamp,
        email,
        plan,
        name,
        cast('identify' as varchar) as call_type,
        cast('ECOMMERCE' as varchar) as source_schema,
        cast('USERS' as varchar) as source_table,
        cast(null as varchar) as schema_id,
        cast(null as varchar) as schema_metadata
    from source

)

select * from renamed
