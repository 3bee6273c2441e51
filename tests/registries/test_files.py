"""Shared pull writer: safe names, deterministic JSON, collisions, atomic per-file outcomes."""

from __future__ import annotations

import json

import pytest

from reflekt.errors import ReflektError, UsageError
from reflekt.registries.base import PulledSchema, PullResult
from reflekt.registries.files import UnsafeName, check_schema_id, render_schema, safe_segment, write_pull


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Cart Viewed", "Cart Viewed"),
        ("a/b\\c", "a-b-c"),
        ("tab\there", "tabhere"),
        (".hidden", "hidden"),
        ("../up", "-up"),
        ("  spaced  ", "spaced"),
    ],
)
def test_safe_segment(name: str, safe: str) -> None:
    assert safe_segment(name, "name") == safe


@pytest.mark.parametrize("name", ["", ".", "..", "...", None, "\x00"])
def test_safe_segment_refuses_empty_and_dot_names(name) -> None:
    with pytest.raises(UnsafeName):
        safe_segment(name, "event")


@pytest.mark.parametrize(
    "schema_id",
    ["../x.json", "/abs.json", "a/./b.json", "a/.hidden/b.json", "a/b", "a\\b.json", "a/\x01b.json"],
)
def test_check_schema_id_refuses_escapes(schema_id: str) -> None:
    with pytest.raises(UsageError):
        check_schema_id(schema_id)


def test_render_is_deterministic_and_ordered() -> None:
    one = {
        "type": "object",
        "properties": {"b": {"type": "string", "description": "B"}, "a": {"type": "x"}},
        "self": {"version": "1-0", "vendor": "v", "name": "n", "format": "jsonschema"},
        "$id": "x/1-0.json",
        "zeta": 1,
    }
    two = json.loads(json.dumps(one, sort_keys=True))
    text = render_schema(one)
    assert text == render_schema(two) and text.endswith("}\n")
    assert list(json.loads(text)) == ["$id", "self", "type", "properties", "zeta"]
    assert list(json.loads(text)["self"]) == ["vendor", "name", "format", "version"]
    assert list(json.loads(text)["properties"]) == ["a", "b"]


def test_colliding_names_are_an_error_and_nothing_is_written(tmp_path) -> None:
    result = PullResult([PulledSchema("r/p/a-b/1-0.json", {}), PulledSchema("r/p/a-b/1-0.json", {"x": 1})])
    with pytest.raises(ReflektError, match="two remote schemas map to the same file"):
        write_pull(tmp_path, result, prune=False)
    assert list(tmp_path.iterdir()) == []


def test_symlinked_folder_cannot_lead_outside(tmp_path) -> None:
    schemas, outside = tmp_path / "schemas", tmp_path / "outside"
    schemas.mkdir()
    outside.mkdir()
    (schemas / "evil").symlink_to(outside)
    with pytest.raises(UsageError, match="resolves outside schemas/"):
        write_pull(schemas, PullResult([PulledSchema("evil/E/1-0.json", {})]), prune=False)
    assert list(outside.iterdir()) == []
