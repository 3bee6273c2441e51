"""Write the demo tracking plan as JSON schemas under schemas/segment/ecommerce."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reflekt.demo.events import EVENTS, DemoEvent, Prop
from reflekt.fsutil import atomic_write_text

FOLDER = "segment/ecommerce"


def _property_schema(prop: Prop, required: bool) -> dict[str, Any]:
    # optional properties accept null (SDKs send null for unset fields); strings are bounded
    schema: dict[str, Any] = {"type": prop.type if required else [prop.type, "null"], "description": prop.description}
    if prop.type == "string":
        bounds = prop.bounds or (
            {"format": "uri"} if prop.name.endswith("url") or prop.name == "referrer"
            else {"format": "email"} if prop.name == "email"
            else {"maxLength": 64} if prop.name.endswith("_id")
            else {"maxLength": 255}
        )
        if "enum" in bounds and not required:
            bounds = {"enum": [*bounds["enum"], None]}
        schema.update(bounds)
    if prop.children:
        schema["properties"] = {child.name: _property_schema(child, False) for child in prop.children}
        schema["additionalProperties"] = False
    if prop.items is not None:
        schema["items"] = prop.items
    return schema


def event_schema(event: DemoEvent, vendor: str) -> dict[str, Any]:
    schema_id = f"{FOLDER}/{event.name}/{event.version}.json"
    return {
        "$id": schema_id,
        "$schema": "http://json-schema.org/draft-07/schema#",
        "description": event.description,
        "self": {
            "vendor": vendor,
            "name": event.name,
            "format": "jsonschema",
            "version": event.version,
            "metadata": {"code_owner": event.code_owner, "product_owner": event.product_owner},
        },
        "type": "object",
        "properties": {prop.name: _property_schema(prop, prop.name in event.required) for prop in event.props},
        "required": list(event.required),
        "additionalProperties": False,
    }


def write_demo_schemas(schemas_dir: Path, vendor: str) -> tuple[int, int]:
    """(written, kept): a demo schema that already exists is the user's (maybe edited) and is kept."""
    written = kept = 0
    for event in EVENTS:
        path = schemas_dir / FOLDER / event.name / f"{event.version}.json"
        if path.exists():
            kept += 1
            continue
        atomic_write_text(path, json.dumps(event_schema(event, vendor), indent=2) + "\n")
        written += 1
    return written, kept
