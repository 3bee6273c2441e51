import json
import sys

import pytest

from reflekt.errors import ExitCode
from reflekt.validate.compiler import Violation, compile_schema
from tests.helpers import event_schema

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
        compiled.is_valid({"a": 1})


def test_an_invalid_schema_is_a_value_error() -> None:
    for backend in BACKENDS:
        with pytest.raises(ValueError):
            compile_schema({"type": 12}, prefer=backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "ref", ["#/definitions/missing", "#/properties/nope", "other.json#/x", "http://127.0.0.1:9/remote.json"]
)
def test_a_dangling_ref_fails_at_compile_time_on_both_backends(backend: str, ref: str) -> None:
    schema = {
        "type": "object",
        "definitions": {"ok": {"type": "string"}},
        "properties": {"a": {"$ref": "#/definitions/ok"}, "b": {"items": [{"$ref": ref}]}},
    }
    with pytest.raises(ValueError):
        compile_schema(schema, prefer=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_refs_that_resolve_compile_and_validate(backend: str) -> None:
    schema = {
        "$id": "https://example.com/root.json",
        "type": "object",
        "definitions": {"sku": {"type": "string"}},
        "properties": {
            "sku": {"$ref": "#/definitions/sku"},
            "$ref": {"type": "integer"},  # a property named "$ref" is not a reference
            "kind": {"enum": [{"$ref": "#/not/a/ref"}]},  # nor is data inside enum
            "nested": {
                "$id": "https://example.com/nested/item.json",
                "definitions": {"n": {"type": "number"}},
                "properties": {"n": {"$ref": "#/definitions/n"}, "up": {"$ref": "../root.json#/definitions/sku"}},
            },
        },
    }
    compiled = compile_schema(schema, prefer=backend)
    assert compiled.is_valid({"sku": "a", "$ref": 1, "nested": {"n": 1.5, "up": "x"}})
    assert not compiled.is_valid({"sku": 1})
    assert {v.property for v in compiled.errors({"nested": {"n": "x"}})} == {"nested/n"}


@pytest.mark.parametrize("fast", [True, False], ids=["jsonschema-rs", "pure-python"])
def test_validate_with_a_dangling_ref_is_a_clean_schema_error_on_both_backends(
    cli, make_project, tmp_path, monkeypatch, fast: bool
) -> None:
    if not fast:
        monkeypatch.setitem(sys.modules, "jsonschema_rs", None)  # import fails: the fallback compiles
    schema_id = "segment/shop/Order Completed/1-0.json"
    schema = event_schema(schema_id, properties={"order_id": {"$ref": "#/definitions/missing"}})
    project = make_project(schemas={schema_id: schema})
    events = tmp_path / "events.jsonl"
    event = {"type": "track", "event": "Order Completed", "messageId": "m1", "properties": {"order_id": "a"}}
    events.write_text(json.dumps(event) + "\n", encoding="utf-8")
    result = cli("--project-dir", project, "validate", "--events", events)
    assert result.code == ExitCode.USAGE, result.output
    assert "cannot compile schema for validation" in result.stderr and "missing" in result.stderr
    assert "Traceback" not in result.output
