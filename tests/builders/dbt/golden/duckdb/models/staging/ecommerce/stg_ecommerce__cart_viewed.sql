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
        context_protocols_event_version as protocols_event_version,
        cart_id,
        products,
        currency,
        address_city,
        cast('track' as varchar) as call_type,
        cast('ecommerce' as varchar) as source_schema,
        cast('cart_viewed' as varchar) as source_table,
        cast(case context_protocols_event_version
            when 1 then 'segment/ecommerce/Cart Viewed/1-0.json'
            when 2 then 'segment/ecommerce/Cart Viewed/2-0.json'
            else 'segment/ecommerce/Cart Viewed/2-0.json'
        end as varchar) as schema_id,
        cast('{{ '{' }}"code_owner": "team-data"}' as varchar) as schema_metadata,
        cast(case context_protocols_event_version
            when 1 then '1-0'
            when 2 then '2-0'
            else '2-0'
        end as varchar) as schema_version
    from source

)

select * from renamed
