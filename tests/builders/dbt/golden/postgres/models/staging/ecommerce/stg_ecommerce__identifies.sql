with

source as (

    select * from {{ source('ecommerce', 'identifies') }}

),

renamed as (

    select
        id as identify_id,
        anonymous_id,
        user_id,
        "timestamp" as tstamp,
        original_timestamp as original_tstamp,
        sent_at as sent_at_tstamp,
        received_at as received_at_tstamp,
        uuid_ts as uuid_tstamp,
        context_ip as ip,
        context_library_name as library_name,
        context_page_url as page_url,
        email,
        plan,
        name,
        cast('identify' as text) as call_type,
        cast('ecommerce' as text) as source_schema,
        cast('identifies' as text) as source_table,
        cast('segment/ecommerce/Identify/1-0.json' as text) as schema_id,
        cast('{{ '{' }}"code_owner": "team-data"}' as text) as schema_metadata
    from source

)

select * from renamed
