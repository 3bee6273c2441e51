"""A fake Avo public API, following Avo's published docs (avohq/docs).

- Export (`GET .../export/v1`): serves the state, starting from the real export payload in
  ../shared/apis/avo/examples, in that payload's shape.
- Import (`POST .../import/v1`, reference/public-api/import-tracking-plan.mdx): HTTP Basic auth;
  the Content-Type picks the format — `text/csv` is "Avo's Ultimate Tracking Plan Template"
  (publishing/import/importing.mdx: header row with the exact required column names, any column
  order, extra columns ignored), `application/json` is `{"schema": {"events": {...}}}` (always
  add-only); anything else is a 400. Success: `{"message", "result", "warnings"}`; errors:
  `{"error", "warnings"}`. The import changes the state, so a later export shows it.

Import methods (project API notes; the docs do not say where the parameter goes, the fake reads
the `importMethod` query parameter of CSV imports): addOnly (default) adds events, properties,
categories, tags and sources; addAndUpdate also updates descriptions and property definitions;
addUpdateAndRemove also removes properties missing from an imported event. Events are never
archived. A CSV row has no column for nullability, so a CSV update keeps what Avo had.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fakes.server import FakeServer, Reply, Request, ServedFake

EXPORT_FILE = "apis/avo/examples/export-v1.jsonSchema.response.json"
IMPORT_METHODS = {"addOnly", "addAndUpdate", "addUpdateAndRemove"}
REQUIRED_COLUMNS = (
    "Event Name",
    "Event Description",
    "Event Category",
    "Sources",
    "Property Name",
    "Property Description",
    "Property Value Type",
    "Is Property Required?",
    "Is Property Array?",
    "Property Enumeration Options",
)
VALUE_TYPES = ("string", "int", "float", "bool", "object", "any")
# Avo value type -> the JSON Schema type its export uses
EXPORT_TYPES = {
    "string": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "object": "object",
}
JSON_TYPES = {v: k for k, v in EXPORT_TYPES.items()}
UNSUPPORTED_KEYWORDS = ("patternProperties", "if", "then", "else", "not")
BAD_CONTENT_TYPE = "Invalid Content-Type. Accepted: text/csv, application/json"


class ImportFailed(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.warnings: list[str] = []


@dataclass
class Prop:
    name: str
    description: str = ""
    value_type: str = "any"
    required: bool = False
    is_list: bool = False
    enum: list[Any] | None = None
    pinned: Any = None
    regex: str = ""
    nullable: bool | None = None  # None: the format cannot say (CSV)
    system: bool = False


@dataclass
class Event:
    name: str
    description: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    props: dict[str, Prop] = field(default_factory=dict)


class FakeAvo(ServedFake):
    def __init__(
        self,
        shared_dir: Path,
        workspace: str = "ws123",
        name: str = "reflekt-ci",
        secret: str = "s3cret",
        *,
        protected_main: bool = False,
    ) -> None:
        self.workspace = workspace
        self.auth = "Basic " + base64.b64encode(f"{name}:{secret}".encode()).decode()
        real = json.loads((shared_dir / EXPORT_FILE).read_text(encoding="utf-8"))
        self.branches: dict[str, dict[str, Any]] = {"main": real}
        self.closed_branches: set[str] = set()
        self.protected_main = protected_main
        # every import request that reached the format parser: method, content type, body, parsed form
        self.imports: list[dict[str, Any]] = []
        self._next_id = 0
        self.server = FakeServer(self.handle)

    # -- routing ----------------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        if request.header("authorization") != self.auth:
            return _error(401, "Unauthorized: invalid service account credentials")
        match = re.fullmatch(r"/workspaces/([^/]+)/branches/([^/]+)/(export|import)/v1", request.path)
        if not match or match.group(1) != self.workspace:
            return _error(404, "Not found")
        branch_id = match.group(2)
        branch = self.branches.get(branch_id)
        if branch is None:
            return _error(404, "Branch not found")
        query = dict(request.query)
        if match.group(3) == "export":
            if request.method != "GET":
                return _error(405, "Method not allowed")
            if query.get("payloadFormat", "jsonSchema") != "jsonSchema":
                return _error(400, "only jsonSchema is faked")
            return Reply(200, json.dumps(branch).encode())
        if request.method != "POST":
            return _error(405, "Method not allowed")
        try:
            return self._import(request, branch_id, branch, query)
        except ImportFailed as exc:
            return _error(exc.status, exc.error, exc.warnings)

    def _import(
        self, request: Request, branch_id: str, branch: dict[str, Any], query: dict[str, str]
    ) -> Reply:
        if branch_id == "main" and self.protected_main:
            raise ImportFailed(403, "Cannot import to the main branch: 'Protected main branch' is enabled")
        if branch_id in self.closed_branches:
            raise ImportFailed(400, "Cannot import to a branch that is closed or merged")
        media = (request.header("content-type") or "").split(";")[0].strip().lower()
        warnings: list[str] = []
        text = request.body.decode("utf-8-sig")
        record: dict[str, Any] = {
            "contentType": media,
            "importMethod": query.get("importMethod"),
            "body": text,
        }
        try:
            if media == "text/csv":
                method = query.get("importMethod", "addOnly")
                if method not in IMPORT_METHODS:
                    raise ImportFailed(400, f"Invalid importMethod '{method}'")
                record["rows"], events = parse_csv(text, warnings)
            elif media == "application/json":
                method = "addOnly"  # documented: JSON Schema imports are always add-only
                record["schema"], events = parse_json_schema(text, warnings)
            else:
                raise ImportFailed(400, BAD_CONTENT_TYPE)
        except ImportFailed as exc:
            exc.warnings = warnings
            raise
        self.imports.append(record)
        result = self._apply(branch, events, method)
        return Reply(
            200, json.dumps({"message": "Import completed", "result": result, "warnings": warnings}).encode()
        )

    # -- state ------------------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        self._next_id += 1
        return f"{prefix}{self._next_id:05d}"

    def _apply(self, payload: dict[str, Any], events: list[Event], method: str) -> dict[str, int]:
        counts = dict.fromkeys(
            ("newEvents", "updatedEvents", "newProperties", "updatedProperties", "newSources"), 0
        )
        counts["newStakeholderDomains"] = 0
        by_name = {e["name"]: e for e in payload["events"]}
        known_props = {name for e in payload["events"] for name in _block(e)["properties"]}
        updated_props: set[str] = set()
        for event in events:
            current = by_name.get(event.name)
            is_new = current is None
            changed = False
            if current is None:
                current = {
                    "id": self._id("ev"),
                    "name": event.name,
                    "description": event.description,
                    "triggers": [],
                    "tags": [],
                    "categories": [],
                    "actions": [],
                    "sources": [],
                    "rules": {
                        "$schema": "http://json-schema.org/draft-06/schema#",
                        "type": "object",
                        "required": ["properties", "nameMapping"],
                        "nameMapping": [],
                        "properties": {
                            "properties": {
                                "type": "object",
                                "properties": {},
                                "additionalProperties": False,
                                "required": [],
                            }
                        },
                    },
                }
                payload["events"].append(current)
                by_name[event.name] = current
                counts["newEvents"] += 1
            elif (
                method != "addOnly" and event.description and event.description != current.get("description")
            ):
                current["description"] = event.description
                changed = True
            changed |= self._add_labels(payload, current, event, counts)
            block = _block(current)
            props, required = block["properties"], block["required"]
            for prop in event.props.values():
                existing = props.get(prop.name)
                if existing is None:
                    props[prop.name] = self._export_property(prop, len(props), None)
                    if prop.required:
                        required.append(prop.name)
                    if prop.name not in known_props:
                        known_props.add(prop.name)
                        counts["newProperties"] += 1
                    changed = True
                elif method != "addOnly":
                    replacement = self._export_property(prop, existing.get("index", 0), existing)
                    was_required = prop.name in required
                    if replacement != existing or was_required != prop.required:
                        props[prop.name] = replacement
                        if prop.required and not was_required:
                            required.append(prop.name)
                        elif was_required and not prop.required:
                            required.remove(prop.name)
                        updated_props.add(prop.name)
                        changed = True
            if method == "addUpdateAndRemove":
                for name in [n for n in props if n not in event.props]:
                    del props[name]
                    if name in required:
                        required.remove(name)
                    changed = True
            if changed and not is_new:
                counts["updatedEvents"] += 1
        counts["updatedProperties"] = len(updated_props)
        return counts

    def _add_labels(
        self, payload: dict[str, Any], current: dict[str, Any], event: Event, counts: dict[str, int]
    ) -> bool:
        """Tags, categories and sources are only ever added (Avo's importer never removes them)."""
        changed = False
        for tag in event.tags:
            if tag not in current["tags"]:
                current["tags"].append(tag)
                changed = True
        categories = payload.setdefault("categories", {})
        for name in event.categories:
            found = next((c for c in categories.values() if c.get("name") == name), None)
            if found is None:
                found = {
                    "id": self._id("cat"),
                    "name": name,
                    "description": '{"ops":[]}',
                    "metrics": [],
                    "events": [],
                }
                categories[found["id"]] = found
            if found["id"] not in current["categories"]:
                current["categories"].append(found["id"])
                found["events"].append(current["id"])
                changed = True
        sources = payload.setdefault("sources", {})
        for name in event.sources:
            found = next((s for s in sources.values() if s.get("name") == name), None)
            if found is None:
                found = {"id": self._id("src"), "name": name, "destinations": []}
                sources[found["id"]] = found
                counts["newSources"] += 1
            if all(s.get("id") != found["id"] for s in current["sources"]):
                current["sources"].append(
                    {"id": found["id"], "name": name, "implementWithCodegen": False, "destinations": []}
                )
                changed = True
        return changed

    def _export_property(self, prop: Prop, index: int, existing: dict[str, Any] | None) -> dict[str, Any]:
        """A property in the export's shape; ids and name mappings of an existing one are kept."""
        value: dict[str, Any] = {}
        if prop.value_type == "object":
            value = {"type": "object", "properties": {}, "additionalProperties": False}
        elif prop.value_type != "any":
            value = {"type": EXPORT_TYPES[prop.value_type]}
        if prop.enum:
            value["enum"] = prop.enum
        if prop.pinned is not None:
            value["const"] = prop.pinned
        if prop.regex:
            value["pattern"] = prop.regex
        node = {"type": "array", "items": value} if prop.is_list else value
        nullable = prop.nullable
        if nullable is None:  # CSV: keep what Avo had
            nullable = (
                existing is not None and isinstance(existing.get("type"), list) and "null" in existing["type"]
            )
        if nullable and "type" in node:
            node["type"] = [node["type"], "null"]
        return {
            "id": existing["id"] if existing else self._id("prop"),
            "index": index,
            "description": prop.description,
            "nameMapping": existing.get("nameMapping", []) if existing else [],
            "isSystemProperty": existing.get("isSystemProperty", False) if existing else prop.system,
            **node,
        }


# -- the two import formats -------------------------------------------------------------------------


def parse_csv(text: str, warnings: list[str]) -> tuple[list[dict[str, str]], list[Event]]:
    if not text.strip():
        raise ImportFailed(400, "The CSV is empty: a header row is required")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFailed(400, "Missing required column(s) in the CSV header: " + ", ".join(missing))
    reader.fieldnames = header
    rows: list[dict[str, str]] = []
    events: dict[str, Event] = {}
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            raise ImportFailed(400, f"Row {number}: more cells than header columns")
        row = {k: (v or "").strip() for k, v in raw.items()}
        rows.append(row)
        if not row["Event Name"]:
            warnings.append(f"Row {number}: no Event Name; row skipped")
            continue
        event = events.setdefault(row["Event Name"], Event(row["Event Name"]))
        event.description = event.description or row["Event Description"]
        _add_unique(event.categories, [row["Event Category"]])
        _add_unique(event.tags, row.get("Event Tags", "").split(";"))
        _add_unique(event.sources, row["Sources"].split(","))
        if not row["Property Name"]:
            continue
        value_type = row["Property Value Type"].lower()
        if value_type not in VALUE_TYPES:
            raise ImportFailed(
                400,
                f"Row {number}: invalid Property Value Type '{row['Property Value Type']}' "
                f"(one of {', '.join(VALUE_TYPES)})",
            )
        options = [o.strip() for o in row["Property Enumeration Options"].split(",") if o.strip()]
        pinned = row.get("Pinned Value", "")
        event.props[row["Property Name"]] = Prop(
            name=row["Property Name"],
            description=row["Property Description"],
            value_type=value_type,
            required=_bool(row, "Is Property Required?", number),
            is_list=_bool(row, "Is Property Array?", number),
            enum=[_coerce(o, value_type) for o in options] or None,
            pinned=_coerce(pinned, value_type) if pinned else None,
            regex=row.get("Property Regex", ""),
        )
    return rows, list(events.values())


def parse_json_schema(text: str, warnings: list[str]) -> tuple[Any, list[Event]]:
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise ImportFailed(400, f"Invalid JSON body: {exc}") from None
    schema = body.get("schema") if isinstance(body, dict) else None
    events_node = schema.get("events") if isinstance(schema, dict) else None
    if not isinstance(events_node, dict):
        raise ImportFailed(400, 'The body must be {"schema": {"events": {"<Event Name>": <JSON Schema>}}}')
    events = []
    for name, node in events_node.items():
        if not isinstance(node, dict):
            raise ImportFailed(400, f"Event '{name}' is not a JSON Schema object")
        _check_refs(node, name)
        merged = {"properties": {}, "required": []}
        for part in [node, *_branches(node)]:
            for keyword in UNSUPPORTED_KEYWORDS:
                if keyword in part:
                    warnings.append(f"Unsupported keyword '{keyword}' in event '{name}'")
            if isinstance(part.get("properties"), dict):
                merged["properties"].update(part["properties"])  # last wins on conflicts
            if isinstance(part.get("required"), list):
                merged["required"] += [r for r in part["required"] if isinstance(r, str)]
        event = Event(
            name, description=node.get("description") if isinstance(node.get("description"), str) else ""
        )
        for prop_name, prop_node in merged["properties"].items():
            event.props[prop_name] = _json_property(
                prop_name, prop_node, prop_name in merged["required"], name, warnings
            )
        events.append(event)
    return body, events


def _json_property(name: str, node: Any, required: bool, event: str, warnings: list[str]) -> Prop:
    node = node if isinstance(node, dict) else {}
    for keyword in UNSUPPORTED_KEYWORDS:
        if keyword in node:
            warnings.append(f"Unsupported keyword '{keyword}' in property '{name}' of event '{event}'")
    prop = Prop(name, description=node.get("description", "") or "", required=required, nullable=False)
    send_as = node.get("x-avo-sendAs")
    prop.system = send_as == "SystemProperty"
    if "oneOf" in node or "anyOf" in node:
        return prop  # property-level oneOf/anyOf -> any
    types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
    real = [t for t in types if isinstance(t, str) and t != "null"]
    prop.nullable = "null" in types and bool(real)
    value = node
    if real == ["array"]:
        prop.is_list = True
        value = node.get("items") if isinstance(node.get("items"), dict) else {}
        item_types = value.get("type") if isinstance(value.get("type"), list) else [value.get("type")]
        real = [t for t in item_types if isinstance(t, str) and t != "null"]
    prop.value_type = JSON_TYPES.get(real[0], "any") if len(real) == 1 else "any"
    if isinstance(value.get("enum"), list):
        prop.enum = [v for v in value["enum"] if v is not None] or None
    if "const" in value:
        prop.pinned = value["const"]
    if isinstance(value.get("pattern"), str):
        prop.regex = value["pattern"]
    return prop


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    """allOf parts, and event-level oneOf/anyOf branches: their properties are merged."""
    parts = []
    for key in ("allOf", "oneOf", "anyOf"):
        parts += (
            [p for p in node.get(key, []) if isinstance(p, dict)] if isinstance(node.get(key), list) else []
        )
    return parts


def _check_refs(node: Any, event: str) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            raise ImportFailed(400, f"Unresolved $ref '{node['$ref']}' in event '{event}'")
        for value in node.values():
            _check_refs(value, event)
    elif isinstance(node, list):
        for value in node:
            _check_refs(value, event)


def _bool(row: dict[str, str], column: str, number: int) -> bool:
    value = row[column].lower()
    if value not in ("true", "false"):
        raise ImportFailed(400, f"Row {number}: '{column}' must be true or false, got '{row[column]}'")
    return value == "true"


def _coerce(text: str, value_type: str) -> Any:
    try:
        if value_type == "int":
            return int(text)
        if value_type == "float":
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
    except ValueError:
        return text
    if value_type == "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def _add_unique(target: list[str], values: list[str]) -> None:
    for value in (v.strip() for v in values):
        if value and value not in target:
            target.append(value)


def _block(event: dict[str, Any]) -> dict[str, Any]:
    block = event["rules"]["properties"]["properties"]
    block.setdefault("properties", {})
    block.setdefault("required", [])
    return block


def _error(status: int, error: str, warnings: list[str] | None = None) -> Reply:
    return Reply(status, json.dumps({"error": error, "warnings": warnings or []}).encode())


def avo_profiles(url: str, secret: str = "s3cret") -> str:
    return (
        "dev:\n  registry:\n    - type: avo\n      workspace_id: ws123\n      service_account_name: reflekt-ci\n"
        f"      service_account_secret: {secret}\n      url: {url}\n"
    )
