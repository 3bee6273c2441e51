"""Sampling a warehouse: driver failures while fetching rows are clean errors, not crashes."""

from __future__ import annotations

import pytest

from reflekt.errors import ExitCode
from tests.helpers import event_schema


@pytest.mark.postgres
def test_a_value_the_driver_cannot_convert_is_a_clean_exit_2(cli, make_project, postgres_db: dict) -> None:
    import psycopg

    with psycopg.connect(host=postgres_db["host"], port=postgres_db["port"], user=postgres_db["user"],
                         dbname=postgres_db["database"], autocommit=True) as conn:
        conn.execute("create schema seg")
        conn.execute("create table seg.signed_up (id text, received_at timestamptz, trial_ends timestamp)")
        # PostgreSQL stores 'infinity'; psycopg raises DataError when it fetches (converts) the row
        conn.execute("insert into seg.signed_up values ('s1', '2024-05-01', 'infinity')")
    schema_id = "segment/web/Signed Up/1-0.json"
    profiles = (f"dev:\n  source:\n    - {{id: wh, type: postgres, host: {postgres_db['host']}, "
                f"port: {postgres_db['port']}, user: {postgres_db['user']}, database: {postgres_db['database']}}}\n")
    project = make_project(schemas={schema_id: event_schema(schema_id, properties={"trial_ends": {"type": "string"}})},
                           profiles_yml=profiles)
    result = cli("--project-dir", project, "validate", "--source", f"wh.{postgres_db['database']}.seg",
                 "--sdk", "segment")
    assert result.code == ExitCode.USAGE, result.output
    assert "cannot sample table signed_up: timestamp too large" in result.stderr
    assert "'infinity'" in result.stderr
    assert "Traceback" not in result.output
