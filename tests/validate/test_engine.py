import io
import json
from pathlib import Path

from reflekt.schema import EventSchema, SchemaId
from reflekt.validate.catalog import Catalog
from reflekt.validate.engine import EventValidator
from reflekt.validate.results import Results
from tests.helpers import event_schema

PROPS = {"order_id": {"type": "string"}, "total": {"type": "number"}}


def make_catalog() -> Catalog:
    ids = ["shop/Order Completed/1-0.json", "shop/Order Completed/2-0.json"]
    schemas = []
    for schema_id in ids:
        data = event_schema(schema_id, properties=dict(PROPS), required=["order_id"])
        schemas.append(EventSchema(Path("/x") / schema_id, SchemaId(schema_id), data))
    return Catalog(schemas)


def run(lines: list, max_line_bytes: int = 1 << 20) -> Results:
    raw = b"".join((line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines)
    return EventValidator(make_catalog(), Results(source="events.jsonl")).run_jsonl(io.BytesIO(raw), max_line_bytes)


def track(message_id: str, props: dict, **extra) -> dict:
    return {"type": "track", "event": "Order Completed", "messageId": message_id, "properties": props, **extra}


def counts(results: Results) -> dict:
    return {(t.version): (t.valid, t.invalid) for t in results.targets}


def test_counts_per_event_version() -> None:
    results = run([
        track("m1", {"order_id": "a"}),
        track("m2", {"order_id": "b", "total": "x"}),
        track("m3", {"order_id": 1}, context={"protocols": {"event_version": 1}}),
        track("m4", {"order_id": "c"}, schema_version="1-0"),
    ])
    assert counts(results) == {"2-0": (1, 1), "1-0": (1, 1)}
    assert (results.valid, results.invalid, results.unknown_count, results.bad_line_count) == (2, 2, 0, 0)


def test_violations_group_by_property_and_keep_example_ids() -> None:
    results = run([track(f"m{i}", {"total": "x"}) for i in range(5)])
    top = results.top_violations()
    assert [(v.property, v.keyword, v.count) for v in top] == [("order_id", "required", 5), ("total", "type", 5)]
    assert [e.label() for e in top[0].examples] == ["m0 (line 1)", "m1 (line 2)", "m2 (line 3)"]


def test_unknown_events_are_counted_with_reason() -> None:
    results = run([{"event": "Nope", "id": "x1"}, {"hello": 1}])
    groups = sorted((u.event, u.count, u.examples[0].as_dict()["line"]) for u in results.unknown.values())
    assert groups == [("(unrecognized)", 1, 2), ("Nope", 1, 1)]
    assert results.invalid == 0


def test_bad_lines_are_counted_with_line_numbers_and_validation_goes_on() -> None:
    huge = json.dumps(track("big", {"order_id": "y" * 500})).encode()
    results = run([b"{not json", b"[1, 2]", b"", b"\xff\xfe", huge, track("ok", {"order_id": "a"})], max_line_bytes=200)
    assert [(b.line, b.reason.split(":")[0]) for b in results.bad_lines] == [
        (1, "invalid JSON"),
        (2, "not a JSON object (an array)"),
        (4, "invalid JSON"),
        (5, "line longer than 200 bytes (skipped)"),
    ]
    assert results.bad_line_count == 4 and results.valid == 1  # the blank line 3 is skipped, line 6 validated


def test_a_huge_line_is_skipped_without_reading_it_whole() -> None:
    raw = b'{"event": "' + b"x" * (5 << 20) + b'"}\n' + json.dumps(track("ok", {"order_id": "a"})).encode() + b"\n"
    results = EventValidator(make_catalog(), Results(source="s")).run_jsonl(io.BytesIO(raw), 1024)
    assert results.bad_line_count == 1 and results.valid == 1


def test_stdlib_json_and_pure_python_backend_give_the_same_results(monkeypatch) -> None:
    from reflekt.validate import engine

    lines = [track("m1", {"order_id": "a"}), track("m2", {"total": "x"}), b"nope", {"event": "Other"}]
    fast = run(lines)
    monkeypatch.setattr(engine, "json_loader", lambda: (json.loads, "json"))
    catalog = make_catalog()
    catalog.backend = "py"
    raw = b"".join((x if isinstance(x, bytes) else json.dumps(x).encode()) + b"\n" for x in lines)
    slow = EventValidator(catalog, Results(source="events.jsonl")).run_jsonl(io.BytesIO(raw))
    assert slow.backend == "jsonschema" and fast.backend == "jsonschema-rs"
    summary = lambda r: (r.valid, r.invalid, r.unknown_count, r.bad_line_count,
                         [(v.property, v.keyword, v.count) for v in r.top_violations()])
    assert summary(slow) == summary(fast) == (1, 1, 1, 1, [("order_id", "required", 1), ("total", "type", 1)])


TRICKY = [
    track("t1", {"order_id": "a"}),
    {"event": "Order Completed", "messageId": "t2"},  # no properties: validates {} (order_id missing)
    {"event": "Order Completed", "messageId": "t3", "properties": None},  # null is not an object
    track("t4", {"order_id": 1}, schema_version=None),
    track("t5", {"order_id": "a"}, context="not an object"),
    track("t6", {"order_id": 2}, context={"protocols": {"event_version": 1}}),
    track("t7", {"order_id": "a"}, context={"protocols": None, "ip": "1.2.3.4"}),
    {"event": 5, "properties": {}},
    b'{"event": "Order Completed", "properties": {"order_id": "\xff"}}',
]


def test_the_msgspec_fast_path_agrees_with_the_full_parse(monkeypatch) -> None:
    from reflekt.validate import engine

    assert engine.track_head_decoder() is not None  # msgspec is in the test extra
    with_head = run(TRICKY)
    monkeypatch.setattr(engine, "track_head_decoder", lambda: None)
    without = run(TRICKY)

    def summary(r: Results) -> tuple:
        return (counts(r), r.unknown_count, [(b.line, b.reason) for b in r.bad_lines],
                [(v.version, v.property, v.keyword, [e.label() for e in v.examples]) for v in r.top_violations()])

    assert summary(with_head) == summary(without)
    assert counts(with_head) == {"2-0": (3, 3), "1-0": (0, 1)}
    assert (with_head.unknown_count, with_head.bad_line_count) == (1, 1)


INVALID_IDS = [
    track(7, {"order_id": 1}),  # an integer id is kept as text
    {"event": "Order Completed", "messageId": True, "id": "i2", "properties": {"total": "x"}},  # a bool is no id
    {"event": "Order Completed", "messageId": "", "id": "i3", "properties": {}},  # '' is an id, shown as none
    {"event": "Order Completed", "event_id": "e4", "properties": {"order_id": [1]}},
    {"event": "Order Completed", "properties": {"order_id": "a", "extra": 1}},  # no id: the line number only
    {"event": "Order Completed", "messageId": "m6", "messageId2": "x", "properties": {"order_id": None}},
    track("m7", {"order_id": "a"}, context={"protocols": {"event_version": None}, "ip": "1.2.3.4"}),
    track("m8", {"order_id": 8}, context={"protocols": {}}),
    track("m9", {"order_id": 9}, schema_version="1-0", context={"protocols": {"event_version": 2}}),
    b'{"event": "Order Completed", "event": "Nope", "messageId": "m10"}',  # the last duplicate key wins
    {"type": "identify", "messageId": "m11", "traits": {}},
    {"event": "Nope", "messageId": "m12", "properties": {"order_id": 1}},
    b"   ",
    b"null",
    b'{"event": "Order Completed", "messageId": "m15", "properties": {"order_id": 1}}   ',
]


def _reference(lines: list, backend: str) -> Results:
    """The reference behaviour: a full parse and `feed()` for every line, no fast path."""
    from reflekt.validate import engine

    loads, _ = engine.json_loader()
    catalog = make_catalog()
    catalog.backend = backend
    validator = EventValidator(catalog, Results(source="events.jsonl"))
    for line_no, line in enumerate(lines, 1):
        raw = line if isinstance(line, bytes) else json.dumps(line).encode()
        try:
            obj = loads(raw)
        except ValueError as exc:
            if raw.strip():
                validator.results.add_bad_line(line_no, f"invalid JSON: {engine._first_line(exc)}")
            continue
        validator.feed(obj, line_no)
    validator.finish(0.0)
    return validator.results


def _full_summary(r: Results) -> tuple:
    return (
        counts(r), r.bad_line_count, [(b.line, b.reason) for b in r.bad_lines],
        sorted((u.event, u.reason, u.count, [e.label() for e in u.examples]) for u in r.unknown.values()),
        [(v.schema_id, v.property, v.keyword, v.message, v.count, [e.label() for e in v.examples])
         for v in r.top_violations()],
    )


def test_every_loop_path_matches_a_full_parse_and_feed_per_line(monkeypatch) -> None:
    from reflekt.validate import engine

    lines = TRICKY + INVALID_IDS
    for backend in ("rs", "py"):
        expected = _full_summary(_reference(lines, backend))
        raw = b"".join((x if isinstance(x, bytes) else json.dumps(x).encode()) + b"\n" for x in lines)
        for head_decoder in (engine.track_head_decoder(), None):  # msgspec track head, then the dict path
            monkeypatch.setattr(engine, "track_head_decoder", lambda h=head_decoder: h)
            catalog = make_catalog()
            catalog.backend = backend
            got = EventValidator(catalog, Results(source="events.jsonl")).run_jsonl(io.BytesIO(raw))
            assert _full_summary(got) == expected, (backend, head_decoder is not None)
    top = _reference(lines, "rs").top_violations()
    labels = {e.label() for v in top for e in v.examples}
    assert {"7 (line 10)", "i2 (line 11)", "line 12", "e4 (line 13)", "line 14"} <= labels
