import pytest

from reflekt.validate.compiler import Violation, compile_schema

SCHEMA = {
    "$id": "shop/Order Completed/1-0.json",
    "$schema": "http://json-schema.org/draft-07/schema#",
    "self": {"name": "Order Completed", "version": "1-0"},
    "type": "object",
    "properties": {
        "order_id": {"type": "string"},
        "currency": {"enum": ["USD", "EUR"]},
        "items": {"type": "array", "items": {"type": "object", "properties": {"price": {"type": "number"}}}},
    },
    "required": ["order_id", "currency"],
    "additionalProperties": False,
}
BACKENDS = ["rs", "py"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_valid_payload(backend: str) -> None:
    compiled = compile_schema(SCHEMA, prefer=backend)
    assert compiled.is_valid({"order_id": "o", "currency": "EUR", "items": [{"price": 1.5}]})


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_backends_name_the_same_properties_and_keywords(backend: str) -> None:
    compiled = compile_schema(SCHEMA, prefer=backend)
    payload = {"currency": "JPY", "items": [{"price": "x"}], "coupon": "c"}
    assert not compiled.is_valid(payload)
    found = {(v.property, v.keyword) for v in compiled.errors(payload)}
    assert found == {
        ("order_id", "required"),
        ("currency", "enum"),
        ("items/*/price", "type"),
        ("coupon", "additionalProperties"),
    }
    assert all(isinstance(v, Violation) and v.message for v in compiled.errors(payload))


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_missing_required_property_is_named(backend: str) -> None:
    compiled = compile_schema(SCHEMA, prefer=backend)
    assert {v.property for v in compiled.errors({})} == {"order_id", "currency"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_remote_refs_are_never_fetched(backend: str) -> None:
    schema = {"type": "object", "properties": {"a": {"$ref": "http://127.0.0.1:9/nothing.json"}}}
    with pytest.raises(ValueError, match="nothing.json"):
        compiled = compile_schema(schema, prefer=backend)
        compiled.is_valid({"a": 1})  # the pure-python backend resolves refs lazily


def test_an_invalid_schema_is_a_value_error() -> None:
    for backend in BACKENDS:
        with pytest.raises(ValueError):
            compile_schema({"type": 12}, prefer=backend)
