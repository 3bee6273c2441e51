"""A small tracking plan shared by the report tests: two versions, nesting, owners, hostile text."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflekt.schema import EventSchema, SchemaId
from tests.helpers import event_schema

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> | `tick`'


def schema(schema_id: str, **kwargs) -> EventSchema:
    return EventSchema(Path("/p/schemas") / schema_id, SchemaId(schema_id), event_schema(schema_id, **kwargs))


def plan() -> list[EventSchema]:
    v1 = schema("shop/Order Completed/1-0.json", properties={
        "order_id": {"type": "string", "description": "Order id."},
        "total": {"type": "number"},
    }, required=["order_id"])
    v2 = schema("shop/Order Completed/2-0.json", properties={
        "order_id": {"type": "string", "description": "Order id."},
        "currency": {"type": "string", "enum": ["USD", "EUR"], "description": "ISO 4217."},
        "products": {"type": "array", "items": {"type": "object", "properties": {
            "sku": {"type": "string"}, "price": {"type": ["number", "null"]}}, "required": ["sku"]}},
        "shipping": {"type": "object", "properties": {"city": {"type": "string", "format": "date-time"}}},
    }, required=["order_id", "currency"], description="A customer paid for an order.")
    v2.data["self"]["metadata"] = {"code_owner": "team-checkout", "product_owner": "Ann Lee", "tier": 1}
    cart = schema("shop/Cart Viewed/1-0.json", description=HOSTILE)
    cart.data["self"]["metadata"] = {"code_owner": "team-growth"}
    signup = schema("web/Signed Up/1-0.json", properties={"method": {"enum": ["email", HOSTILE]}})
    signup.data["self"]["metadata"] = {}
    return [v1, v2, cart, signup]


@pytest.fixture
def schemas() -> list[EventSchema]:
    return plan()
