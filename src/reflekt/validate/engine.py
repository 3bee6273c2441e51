"""Validate a stream of payloads against the catalog, one pass, constant memory.

The hot path per event: decode (with msgspec, only the fields a track call is matched by), one
dict lookup for the compiled schema, one `is_valid` call. Everything else (other payload shapes,
explicit versions, unknown names, bad lines) takes the full parse and `feed()`, the reference
behaviour; tests/validate/test_engine.py checks every path agrees with it. Errors are collected
only for the payloads that fail `is_valid`, from the body already decoded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from reflekt.validate.catalog import Catalog, Target
from reflekt.validate.payloads import event_id_of, read_envelope
from reflekt.validate.results import Example, Results

DEFAULT_MAX_LINE_BYTES = 1 << 20  # 1 MiB: a Segment payload is capped at 32 KB


def json_loader() -> tuple[Callable[[bytes], Any], str]:
    """orjson when installed (the `fast` extra), else the standard library."""
    try:
        import orjson

        return orjson.loads, "orjson"
    except ImportError:  # pragma: no cover - exercised when the extra is absent
        import json

        return json.loads, "json"


class EventValidator:
    def __init__(self, catalog: Catalog, results: Results) -> None:
        self.catalog = catalog
        self.results = results

    def feed(self, obj: Any, line: int | None = None, default_id: str | None = None) -> None:
        """Validate one parsed payload (a line of a file or a warehouse row)."""
        if type(obj) is not dict:
            self.results.add_bad_line(line or 0, f"not a JSON object ({_json_type(obj)})")
            return
        envelope = read_envelope(obj)
        if type(envelope) is str:
            self.results.add_unknown("(unrecognized)", envelope, Example(line, event_id_of(obj) or default_id))
            return
        target = self.catalog.lookup(envelope.names, envelope.version, envelope.vendor)
        if type(target) is Target:
            if target.compiled.is_valid(envelope.body):
                target.valid += 1
                return
            target.invalid += 1
            self._collect(target, envelope.body, Example(line, envelope.event_id or default_id))
        else:
            self.results.add_unknown(target.name, target.reason, Example(line, envelope.event_id or default_id))

    def _collect(self, target: Target, body: Any, example: Example) -> None:
        errors = target.compiled.errors(body)
        seen: set[tuple[str, str]] = set()
        for error in errors:
            if (error.property, error.keyword) in seen:  # one count per payload per property+keyword
                continue
            seen.add((error.property, error.keyword))
            self.results.add_violation(target, error.property, error.keyword, error.message, example)

    def _track_target(self, event: str) -> tuple[Target, Callable[[Any], bool]] | tuple[()]:
        """(target, is_valid) of a track call without a version, or () when the name matches no schema."""
        found = self.catalog.lookup((event,), None, None)
        return (found, found.compiled.is_valid) if type(found) is Target else ()

    def run_jsonl(self, stream: BinaryIO, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Results:
        """Validate JSON Lines read from a binary stream, one line at a time.

        The loop is written out flat on purpose: at several hundred thousand lines a second, a
        generator, a method call and a tuple per line are a measurable share of the time
        (bench/bench_validate.py). Reading 1 MiB chunks and splitting them was measured too: slower
        than `readline` on a buffered file, which reuses one freed bytes object per line.
        """
        loads, _ = json_loader()
        head_decoder = track_head_decoder()
        results, feed, collect = self.results, self.feed, self._collect
        # event name -> (Target, is_valid) for track calls without a version; () = no such schema
        fast: dict[Any, Any] = {}
        track_target = self._track_target
        readline = stream.readline
        limit = max_line_bytes + 1  # room for the newline
        line_no = 0
        started = time.perf_counter()
        if head_decoder is not None:
            decode_head, head_errors, event_id = head_decoder
            while True:
                raw = readline(limit)
                if not raw:
                    break
                line_no += 1
                if len(raw) == limit and raw[-1:] != b"\n":
                    _drain_line(readline)
                    results.add_bad_line(line_no, f"line longer than {max_line_bytes} bytes (skipped)")
                    continue
                # fastest path: decode only the track fields, skipping `context` and the rest unbuilt;
                # anything else (other shapes, versions, unknown names, bad JSON) takes the full parse
                try:
                    head = decode_head(raw)
                except head_errors:  # includes absurd nesting: the full parse reports it as a bad line
                    head = None
                if head is not None:
                    event = head.event
                    hit = fast.get(event)
                    if hit is None and event is not None:
                        hit = fast[event] = track_target(event)
                    if hit and head.schema_version is None:
                        context = head.context
                        if context is None or context.protocols is None or context.protocols.event_version is None:
                            if hit[1](head.properties):
                                hit[0].valid += 1
                            else:
                                hit[0].invalid += 1
                                collect(hit[0], head.properties, Example(line_no, event_id(raw) or None))
                            continue
                obj = _parse(loads, raw, line_no, results)
                if obj is not _SKIP:
                    feed(obj, line_no)
        else:  # without msgspec: the same fast path on the fully parsed dict
            while True:
                raw = readline(limit)
                if not raw:
                    break
                line_no += 1
                if len(raw) == limit and raw[-1:] != b"\n":
                    _drain_line(readline)
                    results.add_bad_line(line_no, f"line longer than {max_line_bytes} bytes (skipped)")
                    continue
                obj = _parse(loads, raw, line_no, results)
                if type(obj) is dict:
                    event = obj.get("event")
                    if type(event) is str and "schema_version" not in obj:
                        context = obj.get("context")
                        if type(context) is not dict or "protocols" not in context:
                            hit = fast.get(event)
                            if hit is None:
                                hit = fast[event] = track_target(event)
                            if hit:
                                body = obj.get("properties", _EMPTY)
                                if hit[1](body):
                                    hit[0].valid += 1
                                else:
                                    hit[0].invalid += 1
                                    collect(hit[0], body, Example(line_no, event_id_of(obj) or None))
                                continue
                if obj is not _SKIP:
                    feed(obj, line_no)
        self.finish(started)
        return results

    def run_objects(self, objects: Iterable[tuple[Any, str | None]]) -> Results:
        """Validate already-parsed payloads (warehouse rows): (payload, example id)."""
        started = time.perf_counter()
        for obj, event_id in objects:
            self.feed(obj, None, event_id)
        self.finish(started)
        return self.results

    def finish(self, started: float) -> None:
        self.results.seconds += time.perf_counter() - started
        self.results.targets = self.catalog.targets
        self.results.warnings = list(dict.fromkeys(self.catalog.warnings))
        if self.catalog.targets:
            self.results.backend = self.catalog.targets[0].compiled.backend


def track_head_decoder() -> tuple[Callable[[bytes], Any], tuple[type[BaseException], ...], Callable[[bytes], Any]] | None:
    """(decode, errors, event_id) of the msgspec track-head decoder, or None without msgspec."""
    try:
        from reflekt.validate import fasthead
    except ImportError:
        return None
    return fasthead.decode, fasthead.ERRORS, fasthead.event_id


_SKIP = object()  # a line that is not a payload: blank, or reported as bad
_EMPTY: dict[str, Any] = {}  # read_envelope's body for a track call without properties; never mutated


def _parse(loads: Callable[[bytes], Any], raw: bytes, line_no: int, results: Results) -> Any:
    """The full parse of one line, or _SKIP (blank lines are not events; bad JSON is reported)."""
    try:
        return loads(raw)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        if raw.strip():
            results.add_bad_line(line_no, f"invalid JSON: {_first_line(exc)}")
        return _SKIP
    except RecursionError:  # the stdlib parser recurses; orjson reports depth as a ValueError
        results.add_bad_line(line_no, "invalid JSON: nested too deeply")
        return _SKIP


def _drain_line(readline: Callable[[int], bytes]) -> None:
    """Skip the rest of a huge line in bounded chunks, so memory stays flat."""
    while True:
        chunk = readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _json_type(obj: Any) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(
        type(obj), "null"
    )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
