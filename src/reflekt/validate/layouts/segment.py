"""Rebuild Segment payloads from Segment's raw warehouse tables.

Segment loads one table per track event, named snake_case(event name) (identify/group/page/screen
calls land in identifies/groups/pages/screens), with the common fields as columns (id,
anonymous_id, user_id, event, event_text, timestamp, received_at, ...), `context.*` as
`context_*` columns and every property as a column, nested objects joined with `_`.

Going back: a column that a selected schema's property flattens to becomes that property, at its
nested path; any other non-common column becomes a top-level property under its column name (so
`additionalProperties: false` flags it). NULL means "not sent" (Segment cannot tell them apart).
Arrays and objects Segment stored as JSON text are parsed back when the schema expects them;
timestamps become RFC 3339 strings (naive ones are UTC). `context_protocols_event_version` or a
`schema_version` column, when present, picks the schema version as in a JSONL payload.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from reflekt.schema import EventSchema
from reflekt.sdks.naming import snake_case
from reflekt.sdks.segment import (
    CALL_TABLES,
    COMMON_FIELDS,
    CONTEXT_PREFIX,
    PROTOCOLS_VERSION_COLUMN,
    TableColumns,
    call_type,
    flatten,
)
from reflekt.validate.catalog import Catalog
from reflekt.validate.sampling import TableSample
from reflekt.warehouses.base import Column

NOT_PROPERTIES = set(COMMON_FIELDS) | {"channel", PROTOCOLS_VERSION_COLUMN, "schema_version"}
TIME_COLUMNS = ("received_at", "timestamp")
VERSION_COLUMNS = {PROTOCOLS_VERSION_COLUMN: ("context", "protocols", "event_version"),
                   "schema_version": ("schema_version",)}



class SegmentSampler:
    def plan(self, catalog: Catalog, tables: dict[str, list[Column]]) -> tuple[list[TableSample], list[str]]:
        by_lower = {t.lower(): t for t in tables}
        wanted: dict[str, tuple[str, str, list[EventSchema]]] = {}  # table -> (event name, call, schemas)
        warnings: list[str] = []
        for name, schemas in sorted(catalog.schemas_by_name.items()):
            call = call_type(name)
            table_name = CALL_TABLES[call] if call != "track" else snake_case(name)
            table = by_lower.get(table_name.lower())
            if table is None:
                warnings.append(f"no table {table_name} for event {name!r}: nothing sampled for it")
                continue
            # one query per table: page/screen schemas share theirs, rows carry their own `name`
            entry = wanted.setdefault(table, (name, call, []))
            entry[2].extend(schemas)
        samples = [_table_sample(name, call, table, tables[table], schemas)
                   for table, (name, call, schemas) in sorted(wanted.items())]
        return samples, warnings


def _table_sample(name: str, call: str, table: str, columns: list[Column], schemas: list[EventSchema]) -> TableSample:
    raw = TableColumns(columns)
    paths: dict[str, tuple[str, ...]] = {}  # raw column -> property path
    specs: dict[tuple[str, ...], dict[str, Any]] = {}
    for schema in reversed(schemas):  # newest first: its path wins when versions disagree
        for leaf in flatten(schema.properties, schema.required):
            column = raw.find(leaf.column)
            if column is not None and column not in paths:
                path = tuple(leaf.path.split("."))
                paths[column] = path
                specs[path] = _spec_at(schema.properties, path)
    lower = {c.name.lower(): c.name for c in columns}
    time_column = next((lower[t] for t in TIME_COLUMNS if t in lower), None)
    extras = [
        c.name for c in columns
        if c.name not in paths and c.name.lower() not in NOT_PROPERTIES and not c.name.lower().startswith(CONTEXT_PREFIX)
    ]
    versions = {lower[v]: where for v, where in VERSION_COLUMNS.items() if v in lower}
    id_column = lower.get("id")
    body_key = "traits" if call in ("identify", "group") else "properties"

    def to_payload(row: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        body: dict[str, Any] = {}
        for column, path in paths.items():
            value = row.get(column)
            if value is not None:
                _put(body, path, _from_json_text(jsonable(value), specs.get(path, {})))
        for column in extras:
            value = row.get(column)
            if value is not None:
                body[column] = jsonable(value)
        event_id = None if id_column is None or row.get(id_column) is None else str(row[id_column])
        payload: dict[str, Any] = {"type": call, body_key: body}
        if call == "track":
            payload["event"] = name
        elif call in ("page", "screen"):
            payload["name"] = row.get(lower.get("name", "name"))
        if event_id is not None:
            payload["messageId"] = event_id
        for column, where in versions.items():
            if row.get(column) is not None:
                _put(payload, where, jsonable(row[column]))
        return payload, event_id

    return TableSample(table, time_column, to_payload)


def _spec_at(properties: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    node: Any = {"properties": properties}
    for key in path:
        node = (node.get("properties") or {}).get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        nested = target.get(key)
        if not isinstance(nested, dict):
            nested = target[key] = {}
        target = nested
    target[path[-1]] = value


def _from_json_text(value: Any, spec: dict[str, Any]) -> Any:
    """Segment stores arrays (and objects it did not flatten) as JSON text."""
    types = spec.get("type")
    expected = {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
    if isinstance(value, str) and expected & {"array", "object"} and "string" not in expected:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    Decimal: lambda v: int(v) if v.is_finite() and v == v.to_integral_value() else float(v),
    datetime: lambda v: (v if v.tzinfo else v.replace(tzinfo=timezone.utc)).isoformat().replace("+00:00", "Z"),
    date: lambda v: v.isoformat(),
    time: lambda v: v.isoformat(),
    timedelta: lambda v: v.total_seconds(),
    uuid.UUID: str,
    bytes: lambda v: v.decode("utf-8", "replace"),
    bytearray: lambda v: bytes(v).decode("utf-8", "replace"),
    memoryview: lambda v: bytes(v).decode("utf-8", "replace"),
}


def jsonable(value: Any) -> Any:
    """A driver value as the JSON value the SDK sent.

    Types with no JSON counterpart (PostgreSQL inet, ranges, intervals of other drivers...) become
    their text form: the validator only takes JSON values and would otherwise fail on the row.
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    converter = _CONVERTERS.get(type(value))
    if converter is not None:
        return converter(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)
