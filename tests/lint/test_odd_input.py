"""Schemas that are valid JSON but odd in every way: rules report, they never crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reflekt.lint.runner import run_lint
from reflekt.project import load_project

ODD = [
    {},
    {"self": "not an object", "properties": [], "required": "cart_id"},
    {"properties": {"a": "string", "b": None, "c": [], "d": {"type": 7, "description": {"x": 1}}}},
    {"properties": {"a": {"type": ["string", 5, None], "enum": "x", "minimum": "1", "maximum": True}}},
    {"properties": {"a": {"items": [{"type": "string"}, 3], "anyOf": "x", "oneOf": [1, {"properties": 5}]}}},
    {"properties": {"a": {"type": "object", "properties": {"b": {"type": "array", "items": {"properties": {
        "c": {"allOf": [{"properties": {"d": {}}}]}}}}}}}},
    {"$schema": 42, "$id": ["x"], "description": None, "required": [1, None, "a"], "additionalProperties": "no"},
    {"self": {"name": 5, "version": ["1-0"], "vendor": {}, "metadata": [], "lint": "yes"}},
    {"properties": {"": {"type": "string"}, "a/b~c": {"type": "string"}, "ünï": {"type": "string"}}},
    {"properties": {"x" * 400: {"type": "string"}}},
    {"properties": {"a": {"type": "string", "format": ["date"]}, "b": {"type": "string", "format": {}}}},
    {"required": [{"x": 1}, ["y"]], "properties": {"x": {"type": "string"}}},
]


def _deep(levels: int) -> dict:
    node: dict = {"type": "string"}
    for _ in range(levels):
        node = {"type": "object", "properties": {"n": node}}
    return node


@pytest.mark.parametrize("document", [*ODD, _deep(200)], ids=[f"odd{i}" for i in range(len(ODD))] + ["deep"])
def test_odd_schemas_do_not_crash(make_project, document: dict) -> None:
    meta = {"type": "object", "required": ["self"], "properties": {"self": {"type": "object"}}}
    root = make_project(schemas={
        "shop/Odd Event/1-0.json": document,
        "shop/Odd Event/1-1.json": ODD[2],
        "shop/Odd Event/2-0.json": document,
    })
    (root / "schemas/.reflekt/meta/1-0.json").write_text(json.dumps(meta), encoding="utf-8")
    result = run_lint(load_project(root), None, None, parallel=False)
    assert result.files == 3
    assert all(f.line and f.col for f in result.findings)


def test_versions_of_odd_schemas_diff_without_crash(make_project) -> None:
    schemas = {f"shop/Odd Event/1-{i}.json": doc for i, doc in enumerate(ODD)}
    root = make_project(schemas=schemas)
    result = run_lint(load_project(root), None, None, parallel=False)
    assert result.files == len(ODD)


def test_deep_nesting_positions(make_project) -> None:
    root = make_project(schemas={"shop/Deep Event/1-0.json": {"properties": {"a": _deep(50)}}})
    result = run_lint(load_project(root), None, None, parallel=False)
    deepest = max((f for f in result.findings if f.code == "DC02"), key=lambda f: f.line)
    assert deepest.line > 50 and deepest.pointer.count("/properties/") == 51
    assert isinstance(Path(deepest.path), Path)


def test_absurd_nesting_is_a_finding_not_a_crash(make_project) -> None:
    text = '{"properties": {"a": ' + '{"properties": {"a": ' * 3000 + "{}" + "}}" * 3000 + "}}"
    root = make_project(schemas={"shop/Deep Event/1-0.json": text, "shop/Deep Event/1-1.json": {"type": "object"}})
    result = run_lint(load_project(root), None, None, parallel=False)
    (deep,) = [f for f in result.findings if f.code == "PA01"]
    assert deep.schema_id == "shop/Deep Event/1-0.json" and "nested too deeply" in deep.message
