"""Plain helpers tests import (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_schema(schemas_dir: Path, schema_id: str, data: dict[str, Any] | str) -> Path:
    path = schemas_dir / schema_id
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return path


def event_schema(schema_id: str, properties: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A valid schema for `schema_id` ('folder/Event Name/1-0.json') with sensible defaults."""
    parts = schema_id.split("/")
    schema = {
        "$id": schema_id,
        "$schema": "http://json-schema.org/draft-07/schema#",
        "description": f"{parts[-2]} event.",
        "self": {
            "vendor": "com.example",
            "name": parts[-2],
            "format": "jsonschema",
            "version": parts[-1].removesuffix(".json"),
            "metadata": {"code_owner": "team-data"},
        },
        "type": "object",
        "properties": properties
        if properties is not None
        else {"product_id": {"type": "string", "description": "Product id."}},
        "required": [],
        "additionalProperties": False,
    }
    schema.update(extra)
    return schema
