"""Decode only the fields a Segment/RudderStack track call is matched by (needs msgspec).

Unknown fields (`context.*`, ids, timestamps) are skipped without building Python objects, which
roughly halves the parse cost of a typical payload (bench/bench_validate.py). Imported only when
msgspec, part of the `fast` extra, is installed.
"""

from __future__ import annotations

from typing import Any

import msgspec

from reflekt.validate.payloads import first_id


class Protocols(msgspec.Struct):
    event_version: Any = None


class Context(msgspec.Struct):
    protocols: Protocols | None = None


class TrackHead(msgspec.Struct):
    # a non-string name (or a non-object context) fails the decode: the full parse handles those
    event: str | None = None
    properties: Any = msgspec.field(default_factory=dict)  # absent -> {} as in read_envelope; null stays null
    schema_version: Any = None
    context: Context | None = None


class Ids(msgspec.Struct):
    """The id keys of payloads.event_id_of, decoded only for the few payloads that fail validation."""

    messageId: Any = None  # the payload's key, camelCase
    id: Any = None
    event_id: Any = None


decode = msgspec.json.Decoder(TrackHead).decode
# bad UTF-8 is a ValueError; msgspec recurses, so absurd nesting is a RecursionError
ERRORS: tuple[type[BaseException], ...] = (msgspec.DecodeError, ValueError, RecursionError)
_decode_ids = msgspec.json.Decoder(Ids).decode


def event_id(raw: bytes) -> str | None:
    """payloads.event_id_of for a line the track head already decoded (so it is a JSON object)."""
    ids = _decode_ids(raw)
    return first_id(ids.messageId, ids.id, ids.event_id)
