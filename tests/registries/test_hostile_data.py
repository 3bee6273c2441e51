"""Registry data of the wrong shape becomes a skipped item or an empty field, never a crash."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from reflekt.registries.avo import AvoRegistry
from reflekt.registries.base import Scope
from reflekt.registries.iglu import IgluKey, IgluRegistry
from reflekt.registries.segment import SegmentRegistry, rule_ident


def _project(tmp_path: Path, versioning: str = "major-minor"):
    config = SimpleNamespace(
        vendor="com.example",
        schemas=SimpleNamespace(versioning=versioning),
        registry=SimpleNamespace(avo=SimpleNamespace(branches={"main": "main"})),
    )
    return SimpleNamespace(config=config, schemas_dir=tmp_path / "schemas", root=tmp_path)


@pytest.mark.parametrize(
    "rule",
    [
        None,
        [],
        {"type": "TRACK"},
        {"type": "TRACK", "key": "A", "version": "1"},
        {"type": 5, "version": 1},
        {"type": "TRACK", "key": 7, "version": 1},
        {"type": "TRACK", "key": "A", "version": 1.5},
        {"type": "TRACK", "key": "A", "version": 0},
    ],
)
def test_unusable_segment_rules_have_no_identity(rule) -> None:
    assert rule_ident(rule) is None


@pytest.mark.parametrize(
    "json_schema",
    [
        None,
        [],
        "x",
        {"properties": []},
        {"properties": {"properties": "x"}},
        {"labels": ["a"], "description": 5},
        {"properties": {"properties": {"properties": {"a": {}}, "required": "a"}}},
    ],
)
def test_odd_segment_json_schemas_convert(tmp_path, json_schema) -> None:
    registry = SegmentRegistry(SimpleNamespace(url="http://127.0.0.1:9", region="us"), _project(tmp_path))
    pulled = registry._to_schema(
        "plan", {"type": "TRACK", "key": "A", "version": 1, "jsonSchema": json_schema}
    )
    assert pulled.schema_id == "segment/plan/A/1-0.json"
    assert isinstance(pulled.data["properties"], dict) and isinstance(pulled.data["required"], list)
    assert isinstance(pulled.data["self"]["metadata"], dict) and isinstance(pulled.data["description"], str)


@pytest.mark.parametrize(
    "event",
    [
        {"name": "e", "tags": "not-a-list", "categories": "x"},
        {"name": "e", "rules": []},
        {"name": "e", "rules": {"properties": []}},
        {"name": "e", "rules": {"properties": {"properties": 3}}},
        {"name": "e", "categories": [None, 3, "unknown"], "tags": [None, 5, "a: b"]},
    ],
)
def test_odd_avo_events_convert(tmp_path, event) -> None:
    registry = AvoRegistry(SimpleNamespace(url=None), _project(tmp_path))
    pulled = registry._to_schema("main", event, {"categories": {"x": "not-a-dict"}})
    assert pulled.schema_id == "avo/main/e/1-0.json" and isinstance(pulled.data["properties"], dict)


@pytest.mark.parametrize("event", [None, {"name": None}, {"name": ".."}, {"name": "\x00"}])
def test_avo_events_without_a_usable_name_are_refused(tmp_path, event) -> None:
    registry = AvoRegistry(SimpleNamespace(url=None), _project(tmp_path))
    with pytest.raises(ValueError):
        registry._to_schema("main", event, {})


def test_iglu_folder_with_junk_reports_instead_of_crashing(tmp_path) -> None:
    folder = tmp_path / "registry" / "schemas"
    for path, text in {
        "com.acme/ok/jsonschema/1-0-0": '{"self": {"vendor": "com.acme", "name": "ok", "format": "jsonschema", '
        '"version": "1-0-0"}, "type": "object"}',
        "com.acme/list/jsonschema/1-0-0": "[1, 2]",
        "com.acme/badver/jsonschema/latest": "{}",
        "com.acme/avro/avro/1-0-0": "{}",
    }.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    registry = IgluRegistry(SimpleNamespace(url=str(folder.parent), api_key=None), _project(tmp_path))
    result = registry.pull(Scope("iglu"))
    assert [s.schema_id for s in result.schemas] == ["iglu/com.acme/ok/1-0.json"]
    assert sorted(result.skipped) == [
        "iglu:com.acme/avro/avro/1-0-0: format 'avro' is not JSON Schema",
        "iglu:com.acme/badver/jsonschema/latest: version 'latest' is not SchemaVer",
        "iglu:com.acme/list/jsonschema/1-0-0: the schema is not a JSON object",
    ]
    assert IgluKey(("v", "n", "jsonschema", "1-0-0")).uri == "iglu:v/n/jsonschema/1-0-0"
