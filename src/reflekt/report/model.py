"""The tracking plan as people read it: events, owners, versions, what changed, and properties.

Built once from the selected schemas; the markdown and HTML renderers only format it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from reflekt.report.changes import VersionChange, changes_between
from reflekt.schema import EventSchema

_OWNER_KEY = re.compile(r"owner", re.IGNORECASE)


@dataclass
class PropertyRow:
    name: str  # dotted path for nested properties: 'products[].price'
    type: str
    required: bool
    description: str
    enum: list[str]
    depth: int = 0


@dataclass
class VersionEntry:
    version: str
    schema_id: str
    change: VersionChange | None  # None for the first version


@dataclass
class EventEntry:
    name: str
    folder: str
    description: str
    metadata: dict[str, str]
    owners: list[str]
    versions: list[VersionEntry]  # newest first
    properties: list[PropertyRow]  # of the newest version
    anchor: str = ""

    @property
    def latest(self) -> str:
        return self.versions[0].version


@dataclass
class Report:
    project: str
    events: list[EventEntry] = field(default_factory=list)

    @property
    def owners(self) -> list[str]:
        return sorted({o for e in self.events for o in e.owners}, key=str.lower)

    @property
    def version_count(self) -> int:
        return sum(len(e.versions) for e in self.events)


def build_report(project_name: str, schemas: list[EventSchema]) -> Report:
    groups: dict[tuple[str, str], list[EventSchema]] = {}
    for schema in schemas:
        groups.setdefault((schema.id.folder, schema.name), []).append(schema)
    report = Report(project_name)
    anchors: set[str] = set()
    for (folder, name), versions in sorted(groups.items(), key=lambda kv: (kv[0][1].lower(), kv[0][0])):
        versions.sort(key=_version_key)
        latest = versions[-1]
        entries = []
        for i, schema in enumerate(versions):
            change = changes_between(versions[i - 1], schema) if i else None
            entries.append(VersionEntry(schema.version, schema.id.value, change))
        metadata = {str(k): _text(v) for k, v in latest.metadata.items()}
        event = EventEntry(
            name=name,
            folder=folder,
            description=_text(latest.description),
            metadata=metadata,
            owners=_owners(latest.metadata),
            versions=list(reversed(entries)),
            properties=property_rows(latest.data),
        )
        event.anchor = _anchor(name, anchors)
        report.events.append(event)
    return report


def property_rows(schema: dict[str, Any], prefix: str = "", depth: int = 0) -> list[PropertyRow]:
    """One row per property, nested objects and arrays of objects flattened under their parent."""
    props = schema.get("properties")
    if not isinstance(props, dict):
        return []
    listed = schema.get("required")
    required = {r for r in listed if isinstance(r, str)} if isinstance(listed, list) else set()
    rows: list[PropertyRow] = []
    for name, node in props.items():
        node = node if isinstance(node, dict) else {}
        path = f"{prefix}{name}"
        rows.append(
            PropertyRow(path, type_label(node), name in required, _text(node.get("description")), _enum(node), depth)
        )
        if isinstance(node.get("properties"), dict):
            rows.extend(property_rows(node, f"{path}.", depth + 1))
        items = node.get("items")
        if isinstance(items, dict) and isinstance(items.get("properties"), dict):
            rows.extend(property_rows(items, f"{path}[].", depth + 1))
    return rows


def type_label(node: dict[str, Any]) -> str:
    """'string', 'string or null', 'array of string', 'string (date-time)', 'any'."""
    if "$ref" in node:
        return f"see {node['$ref']}"
    raw = node.get("type")
    types = [raw] if isinstance(raw, str) else [t for t in raw if isinstance(t, str)] if isinstance(raw, list) else []
    if not types:
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list):
                return " or ".join(type_label(n) for n in node[key] if isinstance(n, dict)) or "any"
        return "enum" if "enum" in node else "const" if "const" in node else "any"
    labels = []
    for t in types:
        label = t
        if t == "array" and isinstance(node.get("items"), dict):
            label = f"array of {type_label(node['items'])}"
        elif isinstance(node.get("format"), str) and t == "string":
            label = f"string ({node['format']})"
        labels.append(label)
    return " or ".join(labels)


def _enum(node: dict[str, Any]) -> list[str]:
    values = node.get("enum")
    if not isinstance(values, list) and isinstance(node.get("items"), dict):
        values = node["items"].get("enum")
    if not isinstance(values, list):
        return [_text(node["const"])] if "const" in node else []
    return ["null" if v is None else _text(v) for v in values]


def _owners(metadata: dict[str, Any]) -> list[str]:
    owners: list[str] = []
    for key, value in metadata.items():
        if _OWNER_KEY.search(str(key)):
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, "") and _text(item) not in owners:
                    owners.append(_text(item))
    return owners


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _version_key(schema: EventSchema) -> tuple[int, ...]:
    """Order by the file name (2-1.json), as lint and build do; self.version is user text."""
    try:
        return tuple(int(p) for p in schema.id.version_text.split("-"))
    except ValueError:
        return (0,)


def _anchor(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "event"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor
