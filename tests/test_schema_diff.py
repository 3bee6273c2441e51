"""schema_diff: one case per change kind, plus renames, nesting and required_bump."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from reflekt.schema_diff import Change, diff_schemas, required_bump

BASE: dict[str, Any] = {
    "description": "Cart Viewed event.",
    "type": "object",
    "properties": {
        "cart_id": {"type": "string", "description": "Cart id.", "maxLength": 64},
        "total": {"type": "number", "description": "Total.", "minimum": 0},
        "coupon": {"type": ["string", "null"], "description": "Coupon.", "enum": ["A", "B", None]},
        "items": {
            "type": "array",
            "description": "Items.",
            "maxItems": 50,
            "items": {
                "type": "object",
                "properties": {"sku": {"type": "string", "description": "SKU."}},
                "required": ["sku"],
            },
        },
        "shipping": {
            "type": "object",
            "description": "Shipping.",
            "properties": {"city": {"type": "string", "description": "City."}},
        },
    },
    "required": ["cart_id"],
}


def edit(change) -> dict[str, Any]:
    schema = copy.deepcopy(BASE)
    change(schema)
    return schema


P = lambda s: s["properties"]

CASES = [
    # (id, edit, kind, breaking, path)
    ("property-added", lambda s: P(s).update(note={"type": "string", "description": "n"}), "property-added", False, "/properties/note"),
    ("required-property-added", lambda s: (P(s).update(note={"type": "boolean"}), s["required"].append("note")), "required-property-added", True, "/properties/note"),
    ("property-removed", lambda s: P(s).pop("total"), "property-removed", False, "/properties/total"),
    ("required-property-removed", lambda s: (P(s).pop("cart_id"), s.update(required=[])), "required-property-removed", True, "/properties/cart_id"),
    ("required-added", lambda s: s["required"].append("total"), "required-added", True, "/properties/total"),
    ("required-removed", lambda s: s.update(required=[]), "required-removed", False, "/properties/cart_id"),
    ("type-narrowed", lambda s: P(s)["total"].update(type="integer"), "type-narrowed", True, "/properties/total"),
    ("type-widened", lambda s: P(s)["cart_id"].update(type=["string", "null"]), "type-widened", False, "/properties/cart_id"),
    ("type-changed", lambda s: P(s)["cart_id"].update(type="integer"), "type-changed", True, "/properties/cart_id"),
    ("null-dropped", lambda s: P(s)["coupon"].update(type="string"), "type-narrowed", True, "/properties/coupon"),
    ("enum-narrowed", lambda s: P(s)["coupon"].update(enum=["A", None]), "enum-narrowed", True, "/properties/coupon"),
    ("enum-widened", lambda s: P(s)["coupon"]["enum"].append("C"), "enum-widened", False, "/properties/coupon"),
    ("enum-added", lambda s: P(s)["cart_id"].update(enum=["x"]), "enum-added", True, "/properties/cart_id"),
    ("enum-removed", lambda s: P(s)["coupon"].pop("enum"), "enum-removed", False, "/properties/coupon"),
    ("max-length-tightened", lambda s: P(s)["cart_id"].update(maxLength=32), "max-length-tightened", True, "/properties/cart_id"),
    ("max-length-loosened", lambda s: P(s)["cart_id"].update(maxLength=128), "max-length-loosened", False, "/properties/cart_id"),
    ("max-length-removed", lambda s: P(s)["cart_id"].pop("maxLength"), "max-length-loosened", False, "/properties/cart_id"),
    ("minimum-tightened", lambda s: P(s)["total"].update(minimum=1), "minimum-tightened", True, "/properties/total"),
    ("maximum-added", lambda s: P(s)["total"].update(maximum=10), "maximum-tightened", True, "/properties/total"),
    ("max-items-tightened", lambda s: P(s)["items"].update(maxItems=5), "max-items-tightened", True, "/properties/items"),
    ("pattern-added", lambda s: P(s)["cart_id"].update(pattern="^c"), "pattern-added", True, "/properties/cart_id"),
    ("format-added", lambda s: P(s)["cart_id"].update(format="uuid"), "format-added", True, "/properties/cart_id"),
    ("type-removed", lambda s: P(s)["cart_id"].pop("type"), "type-widened", False, "/properties/cart_id"),
    ("additional-properties-tightened", lambda s: s.update(additionalProperties=False), "additional-properties-tightened", True, ""),
    ("nested-additional-properties-tightened", lambda s: P(s)["shipping"].update(additionalProperties=False), "additional-properties-tightened", True, "/properties/shipping"),
    ("description-changed", lambda s: P(s)["total"].update(description="Order total."), "description-changed", False, "/properties/total"),
    ("event-description-changed", lambda s: s.update(description="Other."), "description-changed", False, ""),
    ("nested-property-added", lambda s: P(s)["shipping"]["properties"].update(zip={"type": "string"}), "property-added", False, "/properties/shipping/properties/zip"),
    ("array-item-required-removed", lambda s: P(s)["items"]["items"].update(required=[]), "required-removed", False, "/properties/items/items/properties/sku"),
    ("array-item-type-changed", lambda s: P(s)["items"]["items"]["properties"]["sku"].update(type="integer"), "type-changed", True, "/properties/items/items/properties/sku"),
    ("unique-items-added", lambda s: P(s)["items"].update(uniqueItems=True), "unique-items-added", True, "/properties/items"),
    ("composition-changed", lambda s: P(s)["total"].update(anyOf=[{"minimum": 1}]), "composition-changed", True, "/properties/total"),
    ("const-added", lambda s: P(s)["cart_id"].update(const="x"), "enum-added", True, "/properties/cart_id"),
    ("multiple-of-added", lambda s: P(s)["total"].update(multipleOf=0.01), "multiple-of-added", True, "/properties/total"),
]


@pytest.mark.parametrize("case_id, mutate, kind, breaking, path", CASES, ids=[c[0] for c in CASES])
def test_change_kind(case_id, mutate, kind: str, breaking: bool, path: str) -> None:
    changes = diff_schemas(BASE, edit(mutate))
    matching = [c for c in changes if c.kind == kind and c.path == path]
    assert matching, changes
    assert matching[0].breaking is breaking
    assert matching[0].message
    assert required_bump(changes) == ("major" if breaking else "none" if kind == "description-changed" else "minor")


def test_identical_schemas_have_no_changes() -> None:
    assert diff_schemas(BASE, copy.deepcopy(BASE)) == []
    assert required_bump([]) == "none"


def test_rename_of_required_property_is_breaking_and_named() -> None:
    new = edit(lambda s: (P(s).update(cart_key=P(s).pop("cart_id")), s.update(required=["cart_key"])))
    changes = diff_schemas(BASE, new)
    assert [c.kind for c in changes] == ["property-renamed"]
    assert changes[0].breaking
    assert changes[0].message == "property 'cart_id' renamed to 'cart_key' (it was required)"


def test_rename_of_optional_property_is_compatible() -> None:
    new = edit(lambda s: P(s).update(amount=P(s).pop("total")))
    (change,) = diff_schemas(BASE, new)
    assert (change.kind, change.breaking, change.path) == ("property-renamed", False, "/properties/amount")


def test_nested_messages_use_dotted_names() -> None:
    new = edit(lambda s: P(s)["items"]["items"]["properties"]["sku"].update(type="integer"))
    (change,) = diff_schemas(BASE, new)
    assert "items[].sku" in change.message


def test_change_is_frozen() -> None:
    change = Change("property-added", "/properties/x", False, "m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.kind = "other"  # type: ignore[misc]


def test_garbage_input_does_not_crash() -> None:
    odd = {"properties": {"a": "not a schema", "b": {"type": 5}}, "required": "a", "items": [1]}
    diff_schemas(odd, {"properties": []})
    diff_schemas({}, odd)
