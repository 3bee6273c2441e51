"""Decode only the fields a Segment/RudderStack track call is matched by (needs msgspec).

Unknown fields (`context.*`, ids, timestamps) are skipped without building Python objects, which
roughly halves the parse cost of a typical payload (bench/bench_validate.py). Imported only when
msgspec, part of the `fast` extra, is installed.
"""

from __future__ import annotations

from typing import Any

import msgspec


class Protocols(msgspec.Struct):
    event_version: Any = None


class Context(msgspec.Struct):
    protocols: Protocols | None = None


class TrackHead(msgspec.Struct):
    event: Any = None
    properties: Any = msgspec.UNSET  # absent -> {} as in read_envelope; null stays null
    schema_version: Any = None
    context: Context | None = None


decode = msgspec.json.Decoder(TrackHead).decode
ERRORS: tuple[type[BaseException], ...] = (msgspec.DecodeError, ValueError)  # bad UTF-8 is a ValueError
UNSET = msgspec.UNSET
