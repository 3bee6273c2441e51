"""A small Segment-shaped project: schemas plus raw tables, seeded the same way in every engine.

The raw tables look like what Segment's warehouse loader writes: one table per track event plus
tracks/identifies/users/pages/groups, properties flattened to columns, context.* as context_*.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import event_schema, write_schema

FOLDER = "segment/ecommerce"

COMMON = [
    ("id", "varchar"),
    ("anonymous_id", "varchar"),
    ("user_id", "varchar"),
    ("timestamp", "timestamp"),
    ("original_timestamp", "timestamp"),
    ("sent_at", "timestamp"),
    ("received_at", "timestamp"),
    ("uuid_ts", "timestamp"),
    ("context_library_name", "varchar"),
    ("context_page_url", "varchar"),
    ("context_ip", "varchar"),
]
TRACK = COMMON + [("event", "varchar"), ("event_text", "varchar")]

TABLES: dict[str, list[tuple[str, str]]] = {
    "tracks": TRACK,
    "identifies": COMMON + [("email", "varchar"), ("plan", "varchar"), ("name", "varchar")],
    "users": [("id", "varchar"), ("received_at", "timestamp"), ("uuid_ts", "timestamp"), ("email", "varchar"),
              ("plan", "varchar"), ("name", "varchar")],
    "pages": COMMON + [("name", "varchar"), ("path", "varchar"), ("title", "varchar")],
    "groups": COMMON + [("group_id", "varchar"), ("company_name", "varchar"), ("employees", "integer")],
    # Segment Protocols stamps each event with its major: row 0 says 1, row 1 says 2
    "cart_viewed": TRACK + [("context_protocols_event_version", "integer"), ("cart_id", "varchar"),
                            ("products", "varchar"), ("currency", "varchar"), ("address_city", "varchar")],
    "order_completed": TRACK + [("order_id", "varchar"), ("revenue", "double precision"), ("status", "varchar"),
                                ("page_url", "varchar"), ("legacy_flag", "boolean")],
}


def _schema(name: str, version: str, properties: dict[str, Any], required: list[str] | None = None,
            metadata: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    schema_id = f"{FOLDER}/{name}/{version}.json"
    data = event_schema(schema_id, properties, required=required or [])
    if metadata is not None:
        data["self"]["metadata"] = metadata
    return schema_id, data


def schemas() -> dict[str, dict[str, Any]]:
    string = {"type": "string"}
    items = [
        _schema("Identify", "1-0", {
            "email": {**string, "description": "The user's email."},
            "plan": {**string, "description": "Billing plan.", "enum": ["free", "pro"]},
            "name": {**string, "description": "Full name."},
        }, ["email"]),
        _schema("Group", "1-0", {
            "company_name": {**string, "description": "Company name."},
            "employees": {"type": "integer", "description": "Head count."},
        }),
        _schema("Page", "1-0", {
            "path": {**string, "description": "Path of the page."},
            "title": {**string, "description": "Title of the page."},
        }),
        _schema("Cart Viewed", "1-0", {
            "cart_id": {**string, "description": "The cart."},
            "products": {"type": "array", "items": {"type": "object"}, "description": "Products in the cart."},
        }, ["cart_id"]),
        _schema("Cart Viewed", "2-0", {
            "cart_id": {**string, "description": "The cart."},
            "products": {"type": "array", "items": {"type": "object"}, "description": "Products in the cart."},
            "currency": {**string, "description": "ISO currency.", "enum": ["USD", "EUR"]},
            "address": {"type": "object", "description": "Shipping address.",
                        "properties": {"city": {**string, "description": "City."}}},
        }, ["cart_id", "currency"]),
        _schema("Order Completed", "1-0", {
            "order_id": {**string, "description": "The order."},
            "revenue": {"type": "number", "description": "Revenue in {currency}."},
            "status": {**string, "description": "Order status.", "enum": ["paid", "refunded"]},
            "page_url": {**string, "description": "Checkout page (a property, not context)."},
            "coupon": {**string, "description": "Not in the warehouse."},
        }, ["order_id"], metadata={"code_owner": "O'Brien's {{ team }}", "notes": "back\\slash"}),
        _schema("Product Added", "1-0", {"product_id": {**string, "description": "Product."}}),
    ]
    return dict(items)


PROJECT_YML = """\
version: 1.0
name: shop_events
vendor: com.example
default_profile: dev
artifacts:
  dbt:
    models:
      union_versions: true
    docs:
      schema_tests: true
      tests:
        id: [unique, not_null]
"""


def write_project(root: Path, profiles_yml: str, project_yml: str = PROJECT_YML) -> Path:
    (root / "schemas" / ".reflekt" / "meta").mkdir(parents=True, exist_ok=True)
    (root / "reflekt_project.yml").write_text(project_yml, encoding="utf-8")
    (root / "reflekt_profiles.yml").write_text(profiles_yml, encoding="utf-8")
    for schema_id, data in schemas().items():
        write_schema(root / "schemas", schema_id, data)
    return root


def column_value(name: str, kind: str, row: int, table: str) -> str:
    if kind == "timestamp":
        return f"cast('2024-01-0{row + 1} 10:00:00' as timestamp)"
    if name == "context_protocols_event_version":
        return str(row + 1)
    if kind == "integer":
        return str(10 * (row + 1))
    if kind == "double precision":
        return f"{row + 1}.5"
    if kind == "boolean":
        return "true"
    values = {
        "id": f"'{table}-{row}'", "plan": "'pro'", "currency": "'EUR'", "status": "'paid'",
        "event": f"'{table}'", "event_text": f"'{table.replace('_', ' ').title()}'",
        "products": "'" + json.dumps([{"sku": "a"}]) + "'",
    }
    return values.get(name, f"'{name}-{row}'")


def seed_sql(schema: str = "ecommerce", rows: int = 2) -> list[str]:
    """Portable DDL + inserts (DuckDB and PostgreSQL) for the raw tables."""
    statements = [f'create schema if not exists "{schema}"']
    for table, columns in TABLES.items():
        cols = ", ".join(f'"{n}" {t}' for n, t in columns)
        statements.append(f'create table "{schema}"."{table}" ({cols})')
        for row in range(rows):
            values = ", ".join(column_value(n, t, row, table) for n, t in columns)
            statements.append(f'insert into "{schema}"."{table}" values ({values})')
    return statements


def bad_row_sql(schema: str = "ecommerce") -> str:
    """A duplicate event id in order_completed: the generated `unique` test must fail."""
    columns = TABLES["order_completed"]
    values = ", ".join(column_value(n, t, 0, "order_completed") for n, t in columns)
    return f'insert into "{schema}"."order_completed" values ({values})'
