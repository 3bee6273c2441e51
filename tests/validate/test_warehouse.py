"""`reflekt validate --source` against real DuckDB and PostgreSQL, with Segment's raw layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reflekt.errors import ExitCode
from tests.helpers import event_schema

ORDER = "segment/shop/Order Completed/1-0.json"
CART = "segment/shop/Cart Viewed/1-0.json"
ORDER_SCHEMA = event_schema(ORDER, properties={
    "order_id": {"type": "string"},
    "total": {"type": "number"},
    "currency": {"type": "string", "enum": ["USD", "EUR"]},
    "shipping": {"type": "object", "properties": {"city": {"type": "string"}}, "additionalProperties": False},
    "products": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}},
                                            "required": ["sku"]}},
    "placed_at": {"type": "string", "format": "date-time"},
}, required=["order_id", "currency"])

CREATE = """
create table shop.order_completed (
    id text, anonymous_id text, user_id text, event text, event_text text,
    "timestamp" timestamptz, received_at timestamptz, context_library_name text,
    order_id text, total numeric(10, 2), currency text, shipping_city text, products text,
    placed_at timestamptz, coupon_code text
)
"""
ROWS = [  # id, order_id, total, currency, shipping_city, products, placed_at, coupon_code, received_at
    ("e1", "o1", "12.50", "EUR", "Paris", '[{"sku": "a"}]', "2024-05-02 10:00:00+00", None, "2024-05-02 10:00:01+00"),
    ("e2", None, "3", "JPY", None, None, None, None, "2024-05-03 10:00:01+00"),
    ("e3", "o3", "1", "USD", None, '[{"price": 1}]', None, "SPRING", "2024-04-01 10:00:01+00"),
]
INSERT = (
    "insert into shop.order_completed (id, event, event_text, order_id, total, currency, shipping_city, products, "
    "placed_at, coupon_code, received_at, \"timestamp\") values ({0}, 'order_completed', 'Order Completed', "
    "{0}, cast({0} as numeric(10, 2)), {0}, {0}, {0}, cast({0} as timestamptz), {0}, cast({0} as timestamptz), "
    "cast({0} as timestamptz))"
)


def load(execute: Any, marker: str) -> None:
    execute("create schema shop", ())
    execute(CREATE, ())
    sql = INSERT.format(marker)
    for row in ROWS:
        execute(sql, (row[0], *row[1:], row[-1]))


@pytest.fixture
def duckdb_source(tmp_path: Path) -> str:
    import duckdb

    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as conn:
        load(lambda sql, params: conn.execute(sql, list(params)), "?")
    return f"dev:\n  source:\n    - {{id: wh, type: duckdb, path: '{path}'}}\n"


@pytest.fixture
def postgres_source(postgres_db: dict) -> str:
    import psycopg

    with psycopg.connect(host=postgres_db["host"], port=postgres_db["port"], user=postgres_db["user"],
                         dbname=postgres_db["database"], autocommit=True) as conn:
        load(lambda sql, params: conn.execute(sql, params), "%s")
    return (f"dev:\n  source:\n    - {{id: wh, type: postgres, host: {postgres_db['host']}, "
            f"port: {postgres_db['port']}, user: {postgres_db['user']}, database: {postgres_db['database']}}}\n")


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse(request, make_project) -> tuple[Path, str]:
    profiles = request.getfixturevalue(f"{request.param}_source")
    database = "warehouse" if request.param == "duckdb" else request.getfixturevalue("postgres_db")["database"]
    project = make_project(schemas={ORDER: ORDER_SCHEMA, CART: event_schema(CART)}, profiles_yml=profiles)
    return project, f"wh.{database}.shop"


def run_json(cli, warehouse: tuple[Path, str], *args: str) -> tuple[int, dict]:
    project, source = warehouse
    result = cli("--project-dir", project, "validate", "--source", source, "--sdk", "segment", "-f", "json", *args)
    assert result.code in (ExitCode.OK, ExitCode.FINDINGS), result.output
    return result.code, json.loads(result.stdout)


def violations(report: dict) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(v["property"], v["keyword"], tuple(e["id"] for e in v["examples"])) for v in report["violations"]}


def test_rows_are_rebuilt_into_payloads_and_validated(cli, warehouse) -> None:
    code, report = run_json(cli, warehouse)
    assert code == ExitCode.FINDINGS
    assert report["summary"] == {"total": 3, "valid": 1, "invalid": 2, "unknown": 0, "bad_lines": 0}
    assert violations(report) == {
        ("order_id", "required", ("e2",)),  # NULL = not sent
        ("currency", "enum", ("e2",)),
        ("coupon_code", "additionalProperties", ("e3",)),  # a column no schema property explains
        ("products/*/sku", "required", ("e3",)),  # JSON text parsed back into an array
    }
    assert report["warnings"] == ["no table cart_viewed for event 'Cart Viewed': nothing sampled for it"]


def test_since_is_pushed_down(cli, warehouse) -> None:
    _, report = run_json(cli, warehouse, "--since", "2024-05-01")
    assert report["summary"]["total"] == 2
    assert "coupon_code" not in {v["property"] for v in report["violations"]}


def test_limit_samples_the_newest_rows(cli, warehouse) -> None:
    _, report = run_json(cli, warehouse, "--limit", "1")
    assert report["summary"] == {"total": 1, "valid": 0, "invalid": 1, "unknown": 0, "bad_lines": 0}
    assert {e["id"] for v in report["violations"] for e in v["examples"]} == {"e2"}


def test_text_output_names_the_source(cli, warehouse) -> None:
    project, source = warehouse
    result = cli("--project-dir", project, "validate", "--source", source, "--since", "2024-05-02T00:00:00Z")
    assert result.code == ExitCode.FINDINGS
    assert f"from {source}" in result.stdout
    assert "Order Completed 1-0: currency: enum: 1x" in result.stdout
    assert "no table cart_viewed for event 'Cart Viewed'" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--source", "wh.nowhere.shop"], "no tables found in nowhere.shop"),
        (["--source", "nope.db.shop"], "source 'nope' not found in profile 'dev'"),
        (["--source", "wh.x"], "is not <id>.<database>.<schema>"),
        (["--source", "wh.warehouse.shop", "--since", "yesterday"], "--since 'yesterday' is not an ISO date"),
        (["--source", "wh.warehouse.shop", "--sdk", "snowplow"], "unknown --sdk 'snowplow'"),
    ],
)
def test_source_usage_errors_exit_2(cli, make_project, duckdb_source: str, args: list[str], message: str) -> None:
    project = make_project(schemas={ORDER: ORDER_SCHEMA}, profiles_yml=duckdb_source)
    result = cli("--project-dir", project, "validate", *args)
    assert result.code == ExitCode.USAGE, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_identifies_and_pages_tables(cli, make_project, tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "calls.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema seg")
        conn.execute("create table seg.identifies (id text, user_id text, received_at timestamp, email text, plan text)")
        conn.execute("insert into seg.identifies values ('i1', 'u1', '2024-05-01', 'a@b.co', 'pro'),"
                     " ('i2', 'u2', '2024-05-01', 'a@b.co', 'gold')")
        conn.execute("create table seg.pages (id text, name text, received_at timestamp, path text, context_ip text)")
        conn.execute("insert into seg.pages values ('p1', 'Home', '2024-05-01', '/', '1.2.3.4'),"
                     " ('p2', 'Home', '2024-05-01', null, null), ('p3', 'Pricing', '2024-05-01', '/pricing', null)")
    schemas = {
        "segment/web/Identify/1-0.json": event_schema(
            "segment/web/Identify/1-0.json",
            properties={"email": {"type": "string"}, "plan": {"enum": ["free", "pro"]}}),
        "segment/web/Page - Home/1-0.json": event_schema(
            "segment/web/Page - Home/1-0.json", properties={"path": {"type": "string"}}, required=["path"]),
        "segment/web/Page/1-0.json": event_schema("segment/web/Page/1-0.json", properties={"path": {"type": "string"}}),
    }
    profiles = f"dev:\n  source:\n    - {{id: wh, type: duckdb, path: '{path}'}}\n"
    project = make_project(schemas=schemas, profiles_yml=profiles)
    _, report = run_json(cli, (project, "wh.calls.seg"))
    events = {(e["event"], e["valid"], e["invalid"]) for e in report["events"]}
    assert events == {("Identify", 1, 1), ("Page - Home", 1, 1), ("Page", 1, 0)}
    assert violations(report) == {("plan", "enum", ("i2",)), ("path", "required", ("p2",))}
    assert report["warnings"] == []


@pytest.mark.postgres
def test_postgres_types_with_no_json_counterpart_are_validated_as_text(cli, make_project, postgres_db: dict) -> None:
    import psycopg

    with psycopg.connect(host=postgres_db["host"], port=postgres_db["port"], user=postgres_db["user"],
                         dbname=postgres_db["database"], autocommit=True) as conn:
        conn.execute("create schema seg")
        conn.execute("create table seg.signed_up (id text, received_at timestamptz, ip inet, seats int4range)")
        conn.execute("insert into seg.signed_up values ('s1', '2024-05-01', '10.0.0.1', '[1,5)'),"
                     " ('s2', '2024-05-01', '::1', null)")
    schema_id = "segment/web/Signed Up/1-0.json"
    schemas = {schema_id: event_schema(schema_id, properties={
        "ip": {"type": "string", "format": "ipv4"}, "seats": {"type": "string"}})}
    profiles = (f"dev:\n  source:\n    - {{id: wh, type: postgres, host: {postgres_db['host']}, "
                f"port: {postgres_db['port']}, user: {postgres_db['user']}, database: {postgres_db['database']}}}\n")
    project = make_project(schemas=schemas, profiles_yml=profiles)
    code, report = run_json(cli, (project, f"wh.{postgres_db['database']}.seg"))
    assert code == ExitCode.FINDINGS
    assert report["summary"] == {"total": 2, "valid": 1, "invalid": 1, "unknown": 0, "bad_lines": 0}
    assert violations(report) == {("ip", "format", ("s2",))}  # '::1' is text, but not an IPv4 address
    # PostgreSQL folds unquoted names to lower case: --source parts do too
    _, upper = run_json(cli, (project, f"wh.{postgres_db['database'].upper()}.SEG"))
    assert upper["summary"] == report["summary"]


def test_driver_values_with_no_json_counterpart_become_text() -> None:
    import ipaddress
    from decimal import Decimal

    from reflekt.validate.layouts.segment import jsonable

    class Range:  # what a driver returns for a range type
        def __str__(self) -> str:
            return "[1,5)"

    value = {"ip": ipaddress.ip_address("10.0.0.1"), "net": ipaddress.ip_network("10.0.0.0/8"), "seats": Range(),
             "pair": (Decimal("1.50"), b"x", bytearray(b"y")), "n": None, "ok": True, "i": 3, "inf": float("inf")}
    assert jsonable(value) == {"ip": "10.0.0.1", "net": "10.0.0.0/8", "seats": "[1,5)", "pair": [1.5, "x", "y"],
                               "n": None, "ok": True, "i": 3, "inf": "inf"}
