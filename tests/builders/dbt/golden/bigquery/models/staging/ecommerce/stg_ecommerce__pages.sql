with

source as (

    select * from {{ source('ecommerce', 'pages') }}

),

renamed as (

    select
        id as page_id,
        anonymous_id,
        user_id,
        name,
        `timestamp` as tstamp,
        original_timestamp as original_tstamp,
        sent_at as sent_at_tstamp,
        received_at as received_at_tstamp,
        uuid_ts as uuid_tstamp,
        context_ip as ip,
        context_library_name as library_name,
        context_page_url as page_url,
        path,
        title,
        cast('page' as string) as call_type,
        cast('ecommerce' as string) as source_schema,
        cast('pages' as string) as source_table,
        cast('segment/ecommerce/Page/1-0.json' as string) as schema_id,
        cast('{{ '{' }}"code_owner": "team-data"}' as string) as schema_metadata
    from source

)

select * from renamed
