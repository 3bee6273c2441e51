with

source as (

    select * from {{ source('ecommerce', 'groups') }}

),

renamed as (

    select
        id as group_call_id,
        anonymous_id,
        user_id,
        group_id,
        "timestamp" as tstamp,
        original_timestamp as original_tstamp,
        sent_at as sent_at_tstamp,
        received_at as received_at_tstamp,
        uuid_ts as uuid_tstamp,
        context_ip as ip,
        context_library_name as library_name,
        context_page_url as page_url,
        company_name,
        employees,
        cast('group' as varchar) as call_type,
        cast('ecommerce' as varchar) as source_schema,
        cast('groups' as varchar) as source_table,
        cast('segment/ecommerce/Group/1-0.json' as varchar) as schema_id,
        cast('{{ '{' }}"code_owner": "team-data"}' as varchar) as schema_metadata
    from source

)

select * from renamed
