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
        cast('identify' as text) as call_type,
        cast('ecommerce' as text) as source_schema,
        cast('users' as text) as source_table,
        cast(null as text) as schema_id,
        cast(null as text) as schema_metadata
    from source

)

select * from renamed
