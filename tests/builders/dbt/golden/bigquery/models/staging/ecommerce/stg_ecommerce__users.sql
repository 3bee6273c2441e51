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
        cast('identify' as string) as call_type,
        cast('ecommerce' as string) as source_schema,
        cast('users' as string) as source_table,
        cast(null as string) as schema_id,
        cast(null as string) as schema_metadata
    from source

)

select * from renamed
