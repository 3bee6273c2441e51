"""Avo tracking plans: pull with the export API, push with the import API.

Push sends Avo's documented import formats: the "Ultimate Tracking Plan" CSV (`text/csv`, with
`importMethod` as a query parameter) and, for addOnly, the JSON Schema format (`application/json`).
What a format cannot carry is reported in the push output, never dropped silently.

Local layout: schemas/avo/<branch>/<Event>/1-0.json. Avo branches have no versions, so every
event is version 1-0 (1-0-0 under SchemaVer). Branch names map to Avo branch ids through
`registry.avo.branches` in reflekt_project.yml.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import quote

from reflekt.errors import ReflektError, UsageError
from reflekt.registries.base import Change, PulledSchema, PullResult, PushOptions, PushResult, Scope
from reflekt.registries.files import UnsafeName, build_schema, safe_segment, version_parts
from reflekt.registries.http import HttpClient, default_error_message, json_or_none

DEFAULT_URL = "https://api.avo.app"
AVO_ONLY_KEYS = ("id", "index", "nameMapping", "isSystemProperty")
IMPORT_METHODS = ("addOnly", "addAndUpdate", "addUpdateAndRemove")
DEFAULT_IMPORT_METHOD = "addAndUpdate"


def strip_avo_keys(node: Any) -> Any:
    """Remove Avo bookkeeping from a JSON Schema node, recursing only into sub-schemas
    (so a property *named* `id` survives)."""
    if not isinstance(node, dict):
        return node
    out = {k: v for k, v in node.items() if k not in AVO_ONLY_KEYS}
    if isinstance(out.get("properties"), dict):
        out["properties"] = {name: strip_avo_keys(sub) for name, sub in out["properties"].items()}
    for key in ("items", "additionalProperties", "not"):
        if isinstance(out.get(key), dict):
            out[key] = strip_avo_keys(out[key])
    if isinstance(out.get("items"), list):
        out["items"] = [strip_avo_keys(s) for s in out["items"]]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(out.get(key), list):
            out[key] = [strip_avo_keys(s) for s in out[key]]
    return out


def tags_to_metadata(tags: list[Any], categories: list[str]) -> dict[str, Any]:
    """`key: value` tags become metadata keys; any other tag is kept in a `tags` list."""
    metadata: dict[str, Any] = {}
    plain: list[str] = []
    for tag in tags:
        text = str(tag)
        key, sep, value = text.partition(": ")
        if sep and key.strip() and key.strip() not in ("tags", "categories"):
            metadata[key.strip()] = value.strip()
        else:
            plain.append(text)
    if plain:
        metadata["tags"] = plain
    if categories:
        metadata["categories"] = categories
    return metadata


def metadata_to_tags(metadata: dict[str, Any]) -> tuple[list[str], list[str]]:
    tags = [
        f"{k}: {v}" for k, v in metadata.items() if k not in ("tags", "categories") and isinstance(v, str)
    ]
    tags += [str(t) for t in metadata.get("tags", []) if isinstance(metadata.get("tags"), list)]
    categories = metadata.get("categories")
    return tags, [str(c) for c in categories] if isinstance(categories, list) else []


def avo_error_message(response: Any) -> str:
    """Avo's `error` plus the `warnings` its import errors carry, on one line."""
    text = default_error_message(response)
    body = json_or_none(response)
    warnings = body.get("warnings") if isinstance(body, dict) else None
    if isinstance(warnings, list) and warnings:
        text += " (Avo warnings: " + "; ".join(str(w) for w in warnings) + ")"
    return " ".join(text.split())


class AvoRegistry:
    def __init__(self, entry: Any, project: Any) -> None:
        self.entry = entry
        self.project = project
        self.base_url = entry.url or DEFAULT_URL

    def _client(self) -> HttpClient:
        auth = (self.entry.service_account_name, self.entry.service_account_secret.get_secret_value())
        return HttpClient(
            "Avo",
            self.base_url,
            auth=auth,
            headers={"Accept": "application/json"},
            error_message=avo_error_message,
        )

    def _branch_id(self, branch: str) -> str:
        branches = self.project.config.registry.avo.branches
        if branch in branches:
            return branches[branch]
        if branch == "main":
            return "main"
        known = ", ".join(sorted(branches)) or "(none)"
        raise UsageError(
            f"Avo branch '{branch}' has no id in reflekt_project.yml",
            hint=f"add it under registry: avo: branches: ({branch}: <branch id>); configured: {known}",
        )

    def _branch_path(self, branch_id: str) -> str:
        ws = quote(self.entry.workspace_id, safe="")
        return f"/workspaces/{ws}/branches/{quote(branch_id, safe='')}"

    def _export(self, client: HttpClient, branch: str) -> dict[str, Any]:
        branch_id = self._branch_id(branch)
        doing = f"exporting Avo branch '{branch}' ({branch_id})"
        response = client.request(
            "GET",
            self._branch_path(branch_id) + "/export/v1",
            doing=doing,
            params={"payloadFormat": "jsonSchema"},
        )
        payload = client.json(response, doing)
        if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
            raise ReflektError(
                f"Avo returned no 'events' list while {doing}", hint="check the registry `url:`"
            )
        return payload

    def check(self) -> str:
        with self._client() as client:
            payload = self._export(client, "main")
        return f"Avo workspace {self.entry.workspace_id}: {len(payload['events'])} events on main ({self.base_url})"

    # -- pull -------------------------------------------------------------------------------------

    def pull(self, scope: Scope) -> PullResult:
        branch = scope.path[0] if scope.path else "main"
        with self._client() as client:
            payload = self._export(client, branch)
        result = PullResult()
        branch_folder = safe_segment(branch, "Avo branch name")
        if len(scope.path) <= 1:
            result.covered_folders.append(f"avo/{branch_folder}")
        for event in payload["events"]:
            try:
                schema = self._to_schema(branch_folder, event, payload)
            except (UnsafeName, ValueError) as exc:
                result.skipped.append(str(exc))
                continue
            if len(scope.path) > 1 and schema.data["self"]["name"] != scope.path[1]:
                continue
            result.schemas.append(schema)
        if len(scope.path) > 1 and not result.schemas:
            raise UsageError(f"Avo branch '{branch}' has no event named '{scope.path[1]}'")
        return result

    def _version(self) -> str:
        return "1-0-0" if self.project.config.schemas.versioning == "schemaver" else "1-0"

    def _to_schema(self, branch_folder: str, event: dict[str, Any], payload: dict[str, Any]) -> PulledSchema:
        if not isinstance(event, dict):
            raise ValueError("an Avo event that is not an object was skipped")
        name = safe_segment(event.get("name"), "Avo event name")
        rules = event.get("rules") if isinstance(event.get("rules"), dict) else {}
        block = rules.get("properties") if isinstance(rules.get("properties"), dict) else {}
        inner = strip_avo_keys(block["properties"]) if isinstance(block.get("properties"), dict) else {}
        category_names = payload.get("categories") if isinstance(payload.get("categories"), dict) else {}
        raw_categories = event.get("categories") if isinstance(event.get("categories"), list) else []
        categories = []
        for category in raw_categories:
            found = category_names.get(category) if isinstance(category, str) else None
            categories.append(str(found.get("name", category)) if isinstance(found, dict) else str(category))
        version = self._version()
        schema_id = f"avo/{branch_folder}/{name}/{version}.json"
        required = inner.get("required")
        data = build_schema(
            schema_id,
            vendor=self.project.config.vendor,
            name=name,
            version=version,
            description=event.get("description") if isinstance(event.get("description"), str) else "",
            metadata=tags_to_metadata(
                event.get("tags") if isinstance(event.get("tags"), list) else [], categories
            ),
            properties=inner.get("properties") if isinstance(inner.get("properties"), dict) else {},
            required=[r for r in required if isinstance(r, str)] if isinstance(required, list) else [],
            additional_properties=inner.get("additionalProperties", True),
        )
        return PulledSchema(schema_id, data)

    # -- push -------------------------------------------------------------------------------------

    def push(self, scope: Scope, schemas: list[Any], options: PushOptions) -> PushResult:
        if options.delete:
            raise UsageError(
                "Avo's import API cannot delete events; archive them in Avo",
                hint="--import-method addUpdateAndRemove removes properties that are not in the pushed events",
            )
        method = options.import_method or DEFAULT_IMPORT_METHOD
        if method not in IMPORT_METHODS:
            raise UsageError(
                f"unknown --import-method '{method}'", hint="one of: " + ", ".join(IMPORT_METHODS)
            )
        branch = scope.path[0] if scope.path else "main"
        result = PushResult(target=f"Avo branch '{branch}'")
        local = self._latest_per_event(schemas, result)
        with self._client() as client:
            payload = self._export(client, branch)
            remote = {}
            for event in payload["events"]:
                try:
                    converted = self._to_schema("x", event, payload)
                except (UnsafeName, ValueError):
                    continue
                remote[converted.data["self"]["name"]] = converted.data
            sent = []
            for name, schema in sorted(local.items()):
                mine = _essentials(schema.data)
                if name not in remote:
                    result.changes.append(Change("added", name))
                elif mine != _essentials(remote[name]):
                    result.changes.append(Change("changed", name))
                else:
                    continue
                sent.append((name, schema))
            if not sent:
                return result
            # addOnly uses the JSON Schema format: the docs say it is always add-only, and it
            # carries nullability, which the CSV template has no column for.
            if method == "addOnly":
                body, content_type, params = json_schema_body(sent, result.notes), "application/json", None
                if any(change.kind == "changed" for change in result.changes):
                    result.notes.append(
                        "addOnly: existing events only gain new properties; use --import-method "
                        "addAndUpdate to change descriptions and property definitions"
                    )
            else:
                body, content_type, params = (
                    csv_body(sent, result.notes),
                    "text/csv",
                    {"importMethod": method},
                )
            if options.dry_run:
                return result
            branch_id = self._branch_id(branch)
            doing = f"importing {len(sent)} event(s) into Avo branch '{branch}'"
            # One request per push: the import endpoint is rate-limited to about 1 request/second.
            response = client.request(
                "POST",
                self._branch_path(branch_id) + "/import/v1",
                doing=doing,
                params=params,
                content=body.encode("utf-8"),
                headers={"Content-Type": content_type},
            )
            answer = client.json(response, doing) if response.content else {}
            if isinstance(answer, dict):
                counts = answer.get("result")
                if isinstance(counts, dict):
                    result.notes.append("Avo: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
                warnings = answer.get("warnings")
                for warning in warnings if isinstance(warnings, list) else []:
                    result.notes.append(f"Avo warning: {warning}")
        result.applied = True
        return result

    def _latest_per_event(self, schemas: list[Any], result: PushResult) -> dict[str, Any]:
        latest: dict[str, Any] = {}
        versioning = self.project.config.schemas.versioning
        for schema in sorted(schemas, key=lambda s: version_parts(s, versioning)):
            if schema.name in latest:
                result.notes.append(f"{schema.name}: Avo has no versions; pushing {schema.id.version_text}")
            latest[schema.name] = schema
        return latest


# -- the import formats -------------------------------------------------------------------------

# "Avo's Ultimate Tracking Plan Template" (Avo docs: publishing/import/importing). The first ten
# are the required columns; the rest are optional ones we can fill from a JSON Schema.
CSV_REQUIRED_COLUMNS = (
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
CSV_COLUMNS = (*CSV_REQUIRED_COLUMNS, "Event Tags", "Pinned Value", "Property Regex")
AVO_VALUE_TYPES = {
    "string": "string",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "object": "object",
}
# Property keywords each format carries; any other keyword is reported as not transferred.
CSV_CARRIED = frozenset({"type", "description", "enum", "const", "pattern", "items"})
JSON_CARRIED = CSV_CARRIED | {"x-avo-sendAs"}


def csv_body(events: list[tuple[str, Any]], notes: list[str]) -> str:
    """One row per (event, property), events in name order and properties in file order; an
    event without properties is one row with empty property columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; quotes commas, quotes, newlines
    writer.writerow(CSV_COLUMNS)
    for name, schema in events:
        tags, categories = metadata_to_tags(schema.metadata)
        lost = _event_losses(schema)
        if len(categories) > 1:
            lost.append(f"categories {', '.join(categories[1:])} (one Event Category per event)")
        for tag in tags:
            if ";" in tag:
                lost.append(f"tag '{tag}' is split at ';' (the Event Tags separator)")
        event_columns = {
            "Event Name": name,
            "Event Description": schema.description or "",
            "Event Category": categories[0] if categories else "",
            "Event Tags": ";".join(tags),
            "Sources": "",
        }
        rows = []
        required = set(schema.required)
        for prop, node in schema.properties.items():
            fields, prop_lost = csv_property(node)
            lost += [f"{prop} {what}" for what in prop_lost]
            fields["Property Name"] = prop
            fields["Is Property Required?"] = "true" if prop in required else "false"
            rows.append({**event_columns, **fields})
        for row in rows or [event_columns]:
            writer.writerow([row.get(column, "") for column in CSV_COLUMNS])
        if lost:
            notes.append(f"{name}: not transferred by Avo's CSV import: " + "; ".join(lost))
    return buffer.getvalue()


def csv_property(node: Any) -> tuple[dict[str, str], list[str]]:
    """The property columns of one JSON Schema property, and what they cannot carry."""
    node = node if isinstance(node, dict) else {}
    lost = _keyword_losses(node, CSV_CARRIED, "")
    types, nullable = _split_type(node.get("type"))
    is_array = types == ["array"]
    value = node
    if is_array:
        items = node.get("items")
        value = items if isinstance(items, dict) else {}
        if items is not None and not isinstance(items, dict):
            lost.append("items (a tuple of schemas; sent as a list of any)")
        lost += _keyword_losses(value, CSV_CARRIED - {"description", "items"}, "items.")
        types, items_nullable = _split_type(value.get("type"))
        if items_nullable:
            lost.append("items nullable (no CSV column)")
    if nullable:
        lost.append("nullable (no CSV column)")
    value_type = AVO_VALUE_TYPES.get(types[0]) if len(types) == 1 else None
    if value_type is None:
        value_type = "any"
        if types:
            lost.append(f"type {'/'.join(types)} (sent as any)")
    options = []
    for option in value.get("enum") if isinstance(value.get("enum"), list) else []:
        if option is None:
            continue
        text = _text(option)
        if "," in text:
            lost.append(f"enum value {text!r} (contains a comma, the CSV option separator)")
            continue
        options.append(text)
    pinned = _text(value["const"]) if "const" in value else ""
    description = node.get("description")
    return {
        "Property Description": description if isinstance(description, str) else "",
        "Property Value Type": value_type,
        "Is Property Array?": "true" if is_array else "false",
        "Property Enumeration Options": ",".join(options),
        "Pinned Value": pinned,
        "Property Regex": value["pattern"] if isinstance(value.get("pattern"), str) else "",
    }, lost


def json_schema_body(events: list[tuple[str, Any]], notes: list[str]) -> str:
    """`{"schema": {"events": {name: JSON Schema}}}`: the documented JSON Schema import."""
    out: dict[str, Any] = {}
    for name, schema in events:
        lost = _event_losses(schema)
        tags, categories = metadata_to_tags(schema.metadata)
        if tags or categories:
            lost.append("tags and categories (the JSON Schema import has no place for them)")
        for prop, node in schema.properties.items():
            node = node if isinstance(node, dict) else {}
            lost += [f"{prop} {what}" for what in _keyword_losses(node, JSON_CARRIED, "")]
            if isinstance(node.get("items"), dict):
                items_carried = JSON_CARRIED - {"description", "items"}
                lost += [f"{prop} {what}" for what in _keyword_losses(node["items"], items_carried, "items.")]
        event: dict[str, Any] = {"type": "object"}
        if schema.description:
            event["description"] = schema.description
        event["properties"] = schema.properties
        event["required"] = schema.required
        out[name] = event
        if lost:
            notes.append(f"{name}: not transferred by Avo's JSON Schema import: " + "; ".join(lost))
    return json.dumps({"schema": {"events": out}}, ensure_ascii=False)


# Top-level keys both formats carry or that are Reflekt's own bookkeeping.
EVENT_KEYS = frozenset(
    {
        "$id",
        "$schema",
        "description",
        "self",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "metadata",
    }
)


def _event_losses(schema: Any) -> list[str]:
    lost = [f"event keyword {key}" for key in schema.data if key not in EVENT_KEYS]
    # Avo exports every event with additionalProperties: false; neither format can change that.
    if schema.data.get("additionalProperties", True) is not False:
        lost.append("additionalProperties (Avo events are always closed)")
    for key, value in schema.metadata.items():
        if key not in ("tags", "categories") and not isinstance(value, str):
            lost.append(f"metadata.{key} (only text metadata becomes an Event Tag)")
    return lost


def _keyword_losses(node: dict[str, Any], carried: frozenset[str] | set[str], prefix: str) -> list[str]:
    lost = []
    for key, value in node.items():
        if key in carried:
            continue
        if key == "additionalProperties" and value is False and not node.get("properties"):
            continue  # how Avo itself exports an object value (e.g. a list of objects)
        if key == "properties" and isinstance(value, dict):
            if value:
                lost.append(
                    f"{prefix}nested properties {', '.join(value)} (Avo has no nesting; sent as object)"
                )
        elif key in ("oneOf", "anyOf", "allOf"):
            lost.append(f"{prefix}{key} (sent as any)")
        else:
            lost.append(f"{prefix}{key}")
    return lost


def _split_type(value: Any) -> tuple[list[str], bool]:
    """`["string", "null"]` -> (["string"], nullable=True); a lone "null" is Avo's `any`."""
    types = (
        [value]
        if isinstance(value, str)
        else [t for t in value if isinstance(t, str)]
        if isinstance(value, list)
        else []
    )
    nullable = "null" in types and len(types) > 1
    return [t for t in types if t != "null"], nullable


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _essentials(data: dict[str, Any]) -> str:
    """What push compares. An empty description equals none: Avo may export "" for "not set"."""
    keep = {k: _drop_empty_descriptions(data.get(k)) for k in ("properties", "required")}
    keep["description"] = data.get("description") or ""
    keep["additionalProperties"] = data.get("additionalProperties", True)
    self_block = data.get("self") if isinstance(data.get("self"), dict) else {}
    keep["metadata"] = self_block.get("metadata") or data.get("metadata") or {}
    return json.dumps(keep, sort_keys=True)


def _drop_empty_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _drop_empty_descriptions(v) for k, v in node.items() if not (k == "description" and v == "")
        }
    if isinstance(node, list):
        return [_drop_empty_descriptions(v) for v in node]
    return node
