with

source as (

    select * from {{ source('ecommerce', 'cart_viewed') }}
    where (context_protocols_event_version is null or context_protocols_event_version not in (1))

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
        context_protocols_event_version as protocols_event_version,
        cart_id,
        products,
        currency,
        address_city,
        cast('track' as text) as call_type,
        cast('ecommerce' as text) as source_schema,
        cast('cart_viewed' as text) as source_table,
        cast('segment/ecommerce/Cart Viewed/2-0.json' as text) as schema_id,
        cast('{{ '{' }}"code_owner": "team-data"}' as text) as schema_metadata
    from source

)

select * from renamed
