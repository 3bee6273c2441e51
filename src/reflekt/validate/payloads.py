"""Recognize an event payload and pull out what to match and what to validate.

Shapes (first match wins):
- Iglu self-describing `{"schema": "iglu:vendor/name/jsonschema/1-0-0", "data": {...}}`; a Snowplow
  `unstruct_event` wrapper around one is unwrapped. Name, vendor and version come from the URI.
- Segment / RudderStack `{"type": ..., "event": ..., "properties": {...}}`:
  track -> the `event` name, validates `properties`; identify / group -> schemas named
  "Identify" / "Group", validate `traits`; page / screen -> a schema named "Page - <name>" or
  `name`, else "Page" / "Screen", validate `properties`.
  Version: `context.protocols.event_version` (Segment Protocols, a major) or `schema_version`.
- Avo style `{"eventName": ..., "eventProperties": {...}}` (also `event_name`/`properties`).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Envelope(NamedTuple):
    names: tuple[str, ...]  # candidate schema names, tried in order
    version: str | None  # as the payload states it: '2-1', '1-0-0', '2' (a major) or None (latest)
    vendor: str | None
    body: Any  # what the schema validates
    event_id: str | None


UNRECOGNIZED = "not a recognized event payload (no 'event', 'type', 'eventName' or iglu 'schema' key)"
_TRAIT_TYPES = {"identify": "Identify", "group": "Group"}
_VIEW_TYPES = {"page": "Page", "screen": "Screen"}


def read_envelope(obj: dict[str, Any]) -> Envelope | str:
    """The envelope of one payload, or the reason it is not an event."""
    event = obj.get("event")
    if type(event) is str:  # the common case first: a Segment/RudderStack track call
        return Envelope((event,), _segment_version(obj), None, obj.get("properties", {}), event_id_of(obj))
    schema = obj.get("schema")
    if type(schema) is str and schema.startswith("iglu:"):
        return _iglu(obj, schema)
    kind = obj.get("type")
    if type(kind) is str:
        kind = kind.lower()
        if kind in _TRAIT_TYPES:
            return Envelope((_TRAIT_TYPES[kind],), _segment_version(obj), None, obj.get("traits", {}), event_id_of(obj))
        if kind in _VIEW_TYPES:
            name = obj.get("name")
            base = _VIEW_TYPES[kind]
            # 'Page - Home' is how `reflekt pull` names a Segment PAGE rule keyed 'Home'
            names = (f"{base} - {name}", name, base) if isinstance(name, str) and name else (base,)
            return Envelope(names, _segment_version(obj), None, obj.get("properties", {}), event_id_of(obj))
        if kind == "track":
            return "a track call without an 'event' name"
    for name_key, body_key in (("eventName", "eventProperties"), ("event_name", "properties")):
        name = obj.get(name_key)
        if isinstance(name, str):
            return Envelope((name,), _segment_version(obj), None, obj.get(body_key, {}), event_id_of(obj))
    return UNRECOGNIZED


def _iglu(obj: dict[str, Any], uri: str) -> Envelope | str:
    parts = uri[len("iglu:"):].split("/")
    if len(parts) != 4:
        return f"malformed iglu URI {uri!r} (expected iglu:vendor/name/format/version)"
    vendor, name, _format, version = parts
    data = obj.get("data")
    if name == "unstruct_event" and isinstance(data, dict) and isinstance(data.get("schema"), str):
        inner = _iglu(data, data["schema"])
        if isinstance(inner, Envelope) and inner.event_id is None:
            return inner._replace(event_id=event_id_of(obj))
        return inner
    return Envelope((name,), version, vendor, data, event_id_of(obj))


def _segment_version(obj: dict[str, Any]) -> str | None:
    version = obj.get("schema_version")
    if version is None:
        context = obj.get("context")
        if type(context) is dict:
            protocols = context.get("protocols")
            if type(protocols) is dict:
                version = protocols.get("event_version")
    if version is None or isinstance(version, bool):
        return None
    return str(version)


def event_id_of(obj: dict[str, Any]) -> str | None:
    """The payload's own id for examples: `messageId` (Segment, RudderStack), `id`, `event_id` (Snowplow)."""
    return first_id(obj.get("messageId"), obj.get("id"), obj.get("event_id"))


def first_id(*values: Any) -> str | None:
    """The first value usable as an id (a string or an integer), as a string."""
    for value in values:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    return None
