"""Connectors against real engines: DuckDB, PostgreSQL and Snowflake (fakesnow); one query per schema."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, Self

import pytest

from reflekt.errors import ConnectionFailed, MissingDependency
from reflekt.warehouses.base import SourcePart
from reflekt.warehouses.bigquery import BigQueryWarehouse, columns_sql
from reflekt.warehouses.duckdb import DuckDBWarehouse
from reflekt.warehouses.postgres import PostgresWarehouse
from reflekt.warehouses.snowflake import SnowflakeWarehouse

DDL = [
    "create schema seg",
    "create table seg.tracks (id varchar, received_at timestamp)",
    "create table seg.order_completed (id varchar, revenue double precision, status varchar)",
    "create schema other",
    "create table other.noise (x integer)",
]


class CountingConnection:
    """Counts statements sent through a DB-API/DuckDB connection."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.statements: list[str] = []

    def execute(self, sql: str, *args: Any) -> Any:
        self.statements.append(sql)
        return self.inner.execute(sql, *args)

    def cursor(self) -> Any:
        outer = self

        class _Cursor:
            def __init__(self) -> None:
                self.cur = outer.inner.cursor()

            def __enter__(self) -> Self:
                return self

            def __exit__(self, *exc: object) -> None:
                self.cur.close()

            def execute(self, sql: str, *args: Any) -> Any:
                outer.statements.append(sql)
                return self.cur.execute(sql, *args)

            def fetchall(self) -> Any:
                return self.cur.fetchall()

            def close(self) -> None:
                self.cur.close()

        return _Cursor()

    def close(self) -> None:
        self.inner.close()


def _expected(tables: dict[str, list[Any]]) -> dict[str, list[tuple[str, int]]]:
    return {t: [(c.name.lower(), c.position) for c in cols] for t, cols in tables.items()}


def test_duckdb_columns_in_one_query(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "events.duckdb"
    with duckdb.connect(str(path)) as conn:
        for statement in DDL:
            conn.execute(statement)
    warehouse = DuckDBWarehouse(SimpleNamespace(id="wh", path=str(path)))
    counting = CountingConnection(warehouse.connect())
    warehouse._conn = counting
    tables = warehouse.columns("events", "seg")
    assert len(counting.statements) == 1
    assert _expected(tables) == {
        "order_completed": [("id", 1), ("revenue", 2), ("status", 3)],
        "tracks": [("id", 1), ("received_at", 2)],
    }
    assert warehouse.columns("nope", "seg") == {}  # the database part is honoured
    assert warehouse.check().startswith("DuckDB ")
    warehouse.close()


def test_duckdb_missing_file_is_a_connection_error(tmp_path: Path) -> None:
    with pytest.raises(ConnectionFailed, match="DuckDB file not found"):
        DuckDBWarehouse(SimpleNamespace(id="wh", path=str(tmp_path / "none.duckdb"))).columns("x", "y")


@pytest.mark.postgres
def test_postgres_columns_in_one_query_from_the_database_in_source(postgres_db: dict[str, Any]) -> None:
    import psycopg

    with psycopg.connect(host=postgres_db["host"], port=postgres_db["port"], user=postgres_db["user"],
                         dbname=postgres_db["database"], autocommit=True) as conn:
        for statement in DDL:
            conn.execute(statement)
    # the profile points at `postgres`; --source names the test database, which must be honoured
    source = SimpleNamespace(id="pg", host=postgres_db["host"], port=postgres_db["port"], database="postgres",
                             user=postgres_db["user"], password=None, sslmode=None, connect_timeout=5)
    warehouse = PostgresWarehouse(source)
    warehouse.connect(postgres_db["database"])
    counting = CountingConnection(warehouse._conn)
    warehouse._conn = counting
    tables = warehouse.columns(postgres_db["database"], "seg")
    assert len(counting.statements) == 1
    assert _expected(tables)["order_completed"] == [("id", 1), ("revenue", 2), ("status", 3)]
    assert set(tables) == {"order_completed", "tracks"}
    warehouse.close()


def test_postgres_folds_unquoted_source_parts_to_lower_case() -> None:
    warehouse = PostgresWarehouse(SimpleNamespace(id="pg"))
    assert warehouse.resolve(SourcePart("RAW")) == "raw"
    assert warehouse.resolve(SourcePart("Seg")) == "seg"
    assert warehouse.resolve(SourcePart("Mixed.Case", quoted=True)) == "Mixed.Case"


@pytest.mark.postgres
def test_postgres_bad_credentials_are_one_line(postgres_db: dict[str, Any]) -> None:
    source = SimpleNamespace(id="pg", host=postgres_db["host"], port=postgres_db["port"], database="postgres",
                             user="no_such_role_reflekt", password=None, sslmode=None, connect_timeout=5)
    with pytest.raises(ConnectionFailed) as info:
        PostgresWarehouse(source).columns("postgres", "public")
    assert "\n" not in info.value.message and "no_such_role_reflekt" in info.value.message


def test_postgres_unreachable_is_a_connection_error() -> None:
    source = SimpleNamespace(id="pg", host="127.0.0.1", port=1, database="x", user="u", password=None, sslmode=None,
                             connect_timeout=2)
    with pytest.raises(ConnectionFailed, match=r"cannot connect to postgres source 'pg' at 127\.0\.0\.1:1"):
        PostgresWarehouse(source).check()


def test_snowflake_columns_through_fakesnow() -> None:
    fakesnow = pytest.importorskip("fakesnow")
    import snowflake.connector

    source = SimpleNamespace(id="sf", account="fake", user="fake", database=None, warehouse=None, role=None,
                             schema_=None, password=None, private_key_path=None, private_key_passphrase=None,
                             authenticator=None)
    with fakesnow.patch():
        conn = snowflake.connector.connect(account="fake", user="fake")
        cur = conn.cursor()
        cur.execute("create database raw")
        cur.execute("use database raw")
        for statement in DDL:
            cur.execute(statement)
        warehouse = SnowflakeWarehouse(source)
        database = warehouse.resolve(SourcePart("raw"))
        schema = warehouse.resolve(SourcePart("seg"))
        assert (database, schema) == ("RAW", "SEG")
        assert warehouse.resolve(SourcePart("Mixed.Case", quoted=True)) == "Mixed.Case"
        tables = warehouse.columns(database, schema)
        warehouse.close()
    assert _expected(tables) == {
        "ORDER_COMPLETED": [("id", 1), ("revenue", 2), ("status", 3)],
        "TRACKS": [("id", 1), ("received_at", 2)],
    }


def test_bigquery_introspection_is_one_query_per_dataset_with_escaped_names() -> None:
    sql = columns_sql("my-proj", "data`set")
    assert "`my-proj.data\\`set`.INFORMATION_SCHEMA.COLUMNS" in sql
    import sqlglot

    # BigQuery datasets hold only letters, digits and underscores, so parse a real-world name; the
    # backslash escape above is checked as text (sqlglot 30.22, which fakesnow pins, can't tokenize it)
    realistic = sqlglot.parse_one(columns_sql("my-proj", "segment_prod"), read="bigquery")
    table = realistic.find(sqlglot.exp.Table).sql("bigquery")
    assert table.startswith("`my-proj.segment_prod") and "INFORMATION_SCHEMA.COLUMNS" in table


def test_bigquery_without_its_driver_names_the_extra() -> None:
    try:
        import google.cloud.bigquery  # noqa: F401
    except ImportError:
        warehouse = BigQueryWarehouse(SimpleNamespace(id="bq", project="p", keyfile=None, keyfile_json=None,
                                                      location=None))
        with pytest.raises(MissingDependency) as info:
            warehouse.check()
        assert info.value.hint == "pip install 'reflekt[bigquery]'"
    else:  # pragma: no cover - the driver is installed here
        pytest.skip("google-cloud-bigquery is installed")


@pytest.mark.postgres
def test_redshift_connector_speaks_the_postgres_protocol(postgres_db: dict[str, Any]) -> None:
    import psycopg

    from reflekt.warehouses.redshift import RedshiftWarehouse

    with psycopg.connect(host=postgres_db["host"], port=postgres_db["port"], user=postgres_db["user"],
                         dbname=postgres_db["database"], autocommit=True) as conn:
        conn.execute("create schema seg")
        conn.execute("create table seg.tracks (id varchar)")
    source = SimpleNamespace(id="rs", host=postgres_db["host"], port=postgres_db["port"],
                             database=postgres_db["database"], user=postgres_db["user"], password=None,
                             sslmode=None, connect_timeout=5)
    warehouse = RedshiftWarehouse(source)
    assert warehouse.dialect == "redshift"
    assert _expected(warehouse.columns(postgres_db["database"], "seg")) == {"tracks": [("id", 1)]}
    warehouse.close()
