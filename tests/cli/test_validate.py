import io
import json
import sys
from pathlib import Path

import pytest

from reflekt.errors import ExitCode
from tests.helpers import event_schema

ORDER = "segment/ecommerce/Order Completed/1-0.json"
PROPS = {"order_id": {"type": "string", "description": "Order id."}, "total": {"type": "number"}}


@pytest.fixture
def project(make_project) -> Path:
    return make_project(schemas={
        ORDER: event_schema(ORDER, properties=PROPS, required=["order_id"]),
        "segment/ecommerce/Cart Viewed/1-0.json": event_schema("segment/ecommerce/Cart Viewed/1-0.json"),
    })


def write_events(path: Path, *events: dict | str) -> Path:
    path.write_text("".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in events), encoding="utf-8")
    return path


def order(message_id: str, **props) -> dict:
    return {"type": "track", "event": "Order Completed", "messageId": message_id, "properties": props}


def test_valid_events_exit_0(cli, project: Path, tmp_path: Path) -> None:
    events = write_events(tmp_path / "events.jsonl", order("m1", order_id="a", total=3), order("m2", order_id="b"))
    result = cli("--project-dir", project, "validate", "--select", "segment/ecommerce", "--events", events)
    assert result.code == ExitCode.OK, result.output
    assert "Order Completed  1-0      2      0" in result.stdout
    assert result.stdout.rstrip().endswith("2 valid, 0 invalid, 0 unknown")


def test_invalid_events_exit_1_with_violations_and_example_ids(cli, project: Path, tmp_path: Path) -> None:
    events = write_events(
        tmp_path / "events.jsonl", order("m1", order_id="a"), order("m2", total="12"), "oops", order("m3", total=1)
    )
    result = cli("--project-dir", project, "validate", "--events", events)
    assert result.code == ExitCode.FINDINGS
    assert "Order Completed 1-0: order_id: required: 2x - \"order_id\" is a required property" in result.stdout
    assert "e.g. m2 (line 2), m3 (line 4)" in result.stdout
    assert "Order Completed 1-0: total: type: 1x" in result.stdout
    assert "events.jsonl:3: invalid JSON" in result.stdout
    assert "1 valid, 2 invalid, 0 unknown, 1 bad line" in result.stdout


def test_json_format_is_machine_readable(cli, project: Path, tmp_path: Path) -> None:
    events = write_events(tmp_path / "e.jsonl", order("m1", order_id=5), {"event": "Nope", "messageId": "n1"})
    result = cli("--project-dir", project, "validate", "--events", events, "--format", "json")
    assert result.code == ExitCode.FINDINGS
    report = json.loads(result.stdout)
    assert report["summary"] == {"total": 2, "valid": 0, "invalid": 1, "unknown": 1, "bad_lines": 0}
    assert report["events"] == [
        {"event": "Order Completed", "version": "1-0", "schema_id": ORDER, "valid": 0, "invalid": 1}
    ]
    assert report["violations"][0]["property"] == "order_id"
    assert report["violations"][0]["examples"] == [{"line": 1, "id": "m1"}]
    assert report["unknown"] == [
        {"event": "Nope", "reason": "no schema named 'Nope' in the selection", "count": 1,
         "examples": [{"line": 2, "id": "n1"}]}
    ]


def test_events_from_stdin(cli, project: Path, monkeypatch) -> None:
    data = (json.dumps(order("m1", order_id="a")) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = cli("--project-dir", project, "validate", "--events", "-")
    assert result.code == ExitCode.OK, result.output
    assert "from <stdin>" in result.stdout and "1 valid, 0 invalid, 0 unknown" in result.stdout


def test_unknown_events_fail_only_when_asked(cli, project: Path, tmp_path: Path) -> None:
    events = write_events(tmp_path / "e.jsonl", {"event": "Nope", "messageId": "n1"})
    relaxed = cli("--project-dir", project, "validate", "--events", events)
    assert relaxed.code == ExitCode.OK
    assert "Nope           1      no schema named 'Nope' in the selection  n1 (line 1)" in relaxed.stdout
    strict = cli("--project-dir", project, "validate", "--events", events, "--fail-on-unknown")
    assert strict.code == ExitCode.FINDINGS


def test_select_narrows_the_schemas(cli, project: Path, tmp_path: Path) -> None:
    events = write_events(tmp_path / "e.jsonl", order("m1", order_id="a"))
    result = cli("--project-dir", project, "validate", "--select", "segment/ecommerce/Cart Viewed", "--events", events)
    assert result.code == ExitCode.OK
    assert "no schema named 'Order Completed' in the selection" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "pass exactly one of --events and --source"),
        (["--events", "x.jsonl", "--source", "a.b.c"], "pass exactly one of --events and --source"),
        (["--events", "missing.jsonl"], "--events file not found: missing.jsonl"),
        (["--events", "-", "--format", "xml"], "unknown --format 'xml'"),
        (["--events", "-", "--select", "nothing/here"], "--select 'nothing/here' matches no schema"),
    ],
)
def test_usage_errors_exit_2(cli, project: Path, args: list[str], message: str) -> None:
    result = cli("--project-dir", project, "validate", *args)
    assert result.code == ExitCode.USAGE
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_uncompilable_schema_exits_2_naming_the_file(cli, make_project, tmp_path: Path) -> None:
    bad = "shop/Broken/1-0.json"
    project = make_project(schemas={bad: event_schema(bad, properties={"a": {"type": "nope"}})})
    events = write_events(tmp_path / "e.jsonl", {"event": "Broken", "properties": {}})
    result = cli("--project-dir", project, "validate", "--events", events)
    assert result.code == ExitCode.USAGE
    assert "schemas/shop/Broken/1-0.json" in result.stderr and "cannot compile schema" in result.stderr


def test_gzipped_events_are_streamed(cli, project: Path, tmp_path: Path) -> None:
    import gzip

    events = tmp_path / "events.jsonl.gz"
    with gzip.open(events, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(order("m1", order_id="a")) + "\n" + json.dumps(order("m2")) + "\n")
    result = cli("--project-dir", project, "validate", "--events", events)
    assert result.code == ExitCode.FINDINGS
    assert "1 valid, 1 invalid, 0 unknown" in result.stdout

    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(events.read_bytes()[:20])
    result = cli("--project-dir", project, "validate", "--events", broken)
    assert result.code == ExitCode.USAGE and "cannot read --events" in result.stderr


def test_empty_input_warns_but_passes(cli, project: Path, tmp_path: Path) -> None:
    events = tmp_path / "empty.jsonl"
    events.write_text("\n\n", encoding="utf-8")
    result = cli("--project-dir", project, "validate", "--events", events)
    assert result.code == ExitCode.OK
    assert "warning: no payloads in" in result.stderr and "0 valid, 0 invalid, 0 unknown" in result.stdout
