with

source as (

    select * from {{ source('ecommerce', 'cart_viewed') }}

),

renamed as (

    select
        id as event_id,
        anonymous_id,
        user_id,
        event,
        event_text as event_name,
        "timestamp" as tstamp,
        original_timestamp as original_tstamp,
        sent_at as sent_at_tstamp,
        received_at as received_at_tstamp,
        uuid_ts as uuid_tstamp,
        context_ip as ip,
        context_library_name as library_name,
        context_page_url as page_url,
        cart_id,
        products,
        currency,
        address_city,
        cast('track' as varchar) as call_type,
        cast('ecommerce' as varchar) as source_schema,
        cast('cart_viewed' as varchar) as source_table,
        cast('segment/ecommerce/Cart Viewed/2-0.json' as varchar) as schema_id,
        cast('{{ '{' }}"code_owner": "team-data"}' as varchar) as schema_metadata
    from source

)

select * from renamed
