"""Load the YAML rule cases under cases/ and run one through the real lint runner.

A case file (one per rule, named after its code) looks like:

    rule: NM02
    project: {schemas: {conventions: {property: {casing: camel}}}}   # merged into reflekt_project.yml
    cases:
      - id: fail-snake-property                  # test id: NM02-fail-snake-property
        project: {...}                           # per-case override of the file-level project
        files:                                   # default: one file "shop/Cart Viewed/1-0.json"
          - id: shop/Cart Viewed/1-0.json
            properties: {cart_id: {type: string, description: Cart.}}
            patch: {self: {name: Other}}         # deep-merged into the schema; null deletes a key
            text: '{"raw": '                     # or the raw file text instead
        meta_schema: {...}                       # written to schemas/.reflekt/meta/1-0.json
        select: [shop]                           # default: everything
        expect:                                  # findings of THIS rule; [] = must pass
          - {file: shop/Cart Viewed/1-0.json, pointer: /properties/cartId, line: 9, message: "not camel"}
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import event_schema, write_schema

CASES_DIR = Path(__file__).parent / "cases"
DEFAULT_ID = "shop/Cart Viewed/1-0.json"
BASE_PROJECT = {"version": 1.0, "name": "case_project", "vendor": "com.example"}


def load_cases() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(test id, rule code, file-level settings, case) for every case of every rule file."""
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        code = document["rule"]
        assert path.stem == code, f"{path.name} holds cases for {code}"
        for case in document["cases"]:
            out.append((f"{code}-{case['id']}", code, document, case))
    return out


def deep_merge(base: Any, patch: Any) -> Any:
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return copy.deepcopy(patch)
    merged = dict(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged and isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def build_project(root: Path, document: dict[str, Any], case: dict[str, Any]) -> Path:
    project = deep_merge(deep_merge(BASE_PROJECT, document.get("project") or {}), case.get("project") or {})
    schemas_dir = root / "schemas"
    (schemas_dir / ".reflekt" / "meta").mkdir(parents=True, exist_ok=True)
    (root / "reflekt_project.yml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    if case.get("meta_schema") is not None:
        write_schema(schemas_dir, ".reflekt/meta/1-0.json", case["meta_schema"])
    for spec in case.get("files") or [{}]:
        schema_id = spec.get("id", DEFAULT_ID)
        if "text" in spec:
            write_schema(schemas_dir, schema_id, spec["text"])
            continue
        schema = event_schema(schema_id, spec.get("properties"))
        schema = deep_merge(schema, spec.get("patch") or {})
        write_schema(schemas_dir, schema_id, json.dumps(schema, indent=2, ensure_ascii=False))
    return root
