"""Avo: pull the real export payload, clean Avo-only keys, tags/categories -> metadata; push with
the documented import formats (CSV by default, JSON Schema for addOnly) against a fake that
follows Avo's import docs."""

from __future__ import annotations

import base64
import csv
import io
import json
from pathlib import Path

import httpx

from reflekt.errors import ExitCode
from reflekt.registries.avo import (
    CSV_COLUMNS,
    CSV_REQUIRED_COLUMNS,
    csv_body,
    strip_avo_keys,
    tags_to_metadata,
)
from reflekt.registries.files import render_schema
from reflekt.schema import load_schema
from tests.fakes.avo import BAD_CONTENT_TYPE, avo_profiles
from tests.fakes.server import Reply
from tests.helpers import event_schema, write_schema

PROJECT_YML = """\
version: 1.0
name: test_project
vendor: com.example
default_profile: dev
registry:
  avo:
    branches:
      main: main
      staging: AbC12dEfG
"""
IMPORT_PATH = "/workspaces/ws123/branches/main/import/v1"
AUTH = {"Authorization": "Basic " + base64.b64encode(b"reflekt-ci:s3cret").decode()}


def _pulled(cli, make_project, avo_fake, secret: str = "s3cret") -> Path:
    root = make_project(project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url, secret=secret))
    assert cli("--project-dir", root, "pull", "--select", "avo/main").code == ExitCode.OK
    return root


def _edit(root: Path, event: str, change) -> None:
    path = root / f"schemas/avo/main/{event}/1-0.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(render_schema(data), encoding="utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- pull -----------------------------------------------------------------------------------------


def test_pull_main_writes_every_event_clean(cli, make_project, avo_fake) -> None:
    root = make_project(project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url))
    result = cli("--project-dir", root, "pull", "--select", "avo/main")
    assert result.code == ExitCode.OK, result.output
    assert "18 created" in result.stdout
    files = sorted((root / "schemas/avo/main").rglob("*.json"))
    assert len(files) == 18 and all(f.name == "1-0.json" for f in files)
    page = json.loads((root / "schemas/avo/main/page_viewed/1-0.json").read_text())
    assert page["$id"] == "avo/main/page_viewed/1-0.json"
    assert page["self"]["metadata"] == {"tags": ["Tier 3 - UI"], "categories": ["User Interaction"]}
    assert page["properties"]["page_title"] == {"description": "Title of the web page", "type": "string"}
    text = "\n".join(f.read_text() for f in files)
    for key in ('"nameMapping"', '"isSystemProperty"', '"index"'):
        assert key not in text
    assert page["additionalProperties"] is False and "page_url" in page["required"]
    again = cli("--project-dir", root, "pull", "--select", "avo/main")
    assert "0 created, 0 changed, 18 unchanged" in again.stdout


def test_pull_one_event_and_unknown_branch(cli, make_project, avo_fake) -> None:
    root = make_project(project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url))
    one = cli("--project-dir", root, "pull", "--select", "avo/main/checkout_completed")
    assert one.code == ExitCode.OK, one.output
    assert [p.parent.name for p in (root / "schemas").rglob("*.json")] == ["checkout_completed"]
    unknown = cli("--project-dir", root, "pull", "--select", "avo/feature-x")
    assert unknown.code == ExitCode.USAGE
    assert "Avo branch 'feature-x' has no id in reflekt_project.yml" in unknown.stderr
    missing = cli("--project-dir", root, "pull", "--select", "avo/staging")
    assert (
        missing.code == ExitCode.USAGE and "HTTP 404 while exporting Avo branch 'staging'" in missing.stderr
    )


def test_bad_secret_is_exit_2_and_not_printed(cli, make_project, avo_fake) -> None:
    root = make_project(project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url, secret="nope-nope"))
    result = cli("--project-dir", root, "pull", "--select", "avo/main")
    assert result.code == ExitCode.USAGE
    assert "Avo rejected the credentials (HTTP 401)" in result.stderr and "nope-nope" not in result.output


def test_strip_keeps_properties_named_like_avo_keys() -> None:
    node = {
        "type": "object",
        "id": "x",
        "properties": {"id": {"type": "string", "index": 0, "nameMapping": []}},
    }
    assert strip_avo_keys(node) == {"type": "object", "properties": {"id": {"type": "string"}}}


def test_tags_without_separator_do_not_crash() -> None:
    assert tags_to_metadata(["code_owner: team-a", "Tier 1", "odd:colon"], ["Order"]) == {
        "code_owner": "team-a",
        "tags": ["Tier 1", "odd:colon"],
        "categories": ["Order"],
    }


# -- the CSV body ---------------------------------------------------------------------------------


def test_csv_body_header_rows_types_and_quoting(tmp_path) -> None:
    schemas = tmp_path / "schemas"
    tricky = 'Sent when the user says "hi", then\nleaves; really'
    properties = {
        "note": {"type": "string", "description": tricky},
        "count": {"type": ["integer", "null"], "description": "How many."},
        "plan": {"type": "string", "enum": ["free", "pro", None]},
        "skus": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]+$"}},
        "address": {
            "type": "object",
            "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
        },
        "price": {"type": "number", "minimum": 0},
        "source": {"const": "web", "type": "string"},
    }
    data = event_schema(
        "avo/main/Order Placed/1-0.json", properties, required=["note", "skus"], description=tricky
    )
    data["self"]["metadata"] = {
        "code_owner": "team-a",
        "tags": ["Tier 1"],
        "categories": ["Order", "Sales"],
        "pii": True,
    }
    write_schema(schemas, "avo/main/Order Placed/1-0.json", data)
    bare = event_schema("avo/main/App Closed/1-0.json", {})
    write_schema(schemas, "avo/main/App Closed/1-0.json", bare)
    loaded = [
        load_schema(schemas / "avo/main" / n / "1-0.json", schemas) for n in ("App Closed", "Order Placed")
    ]
    notes: list[str] = []
    text = csv_body([(s.name, s) for s in loaded], notes)

    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert set(CSV_REQUIRED_COLUMNS) <= set(CSV_COLUMNS)
    # a description with a quote, a comma and a newline is one quoted cell, quotes doubled
    assert '"Sent when the user says ""hi"", then\nleaves; really"' in text
    rows = _rows(text)
    assert [(r["Event Name"], r["Property Name"]) for r in rows] == [
        ("App Closed", ""),
        *[("Order Placed", p) for p in properties],
    ]
    assert rows[0]["Property Value Type"] == "" and rows[0]["Is Property Required?"] == ""
    by_prop = {r["Property Name"]: r for r in rows[1:]}
    assert (
        by_prop["note"]["Property Description"] == tricky and by_prop["note"]["Event Description"] == tricky
    )
    assert all(
        r["Event Category"] == "Order" and r["Event Tags"] == "code_owner: team-a;Tier 1" for r in rows[1:]
    )
    assert [by_prop[p]["Property Value Type"] for p in properties] == [
        "string", "int", "string", "string", "object", "float", "string",
    ]  # fmt: skip
    assert [by_prop[p]["Is Property Required?"] for p in ("note", "skus", "count")] == [
        "true",
        "true",
        "false",
    ]
    assert by_prop["skus"]["Is Property Array?"] == "true" and by_prop["skus"]["Property Regex"] == "^[A-Z]+$"
    assert by_prop["plan"]["Property Enumeration Options"] == "free,pro"
    assert by_prop["source"]["Pinned Value"] == "web"
    # what the CSV cannot carry is said, not dropped
    (note,) = notes
    assert note.startswith("Order Placed: not transferred by Avo's CSV import: ")
    for lost in (
        "categories Sales",
        "count nullable",
        "address nested properties street, city",
        "price minimum",
        "metadata.pii",
    ):
        assert lost in note
    assert csv_body([(s.name, s) for s in loaded], []) == text  # deterministic


# -- push against the fake -------------------------------------------------------------------------


def test_pull_then_push_is_a_no_op_and_changes_are_imported(cli, make_project, avo_fake) -> None:
    root = _pulled(cli, make_project, avo_fake)
    dry = cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run")
    assert dry.code == ExitCode.OK and "Dry run: no changes for Avo branch 'main'" in dry.stdout
    same = cli("--project-dir", root, "push", "--select", "avo/main")
    assert same.code == ExitCode.OK and "Avo branch 'main' is up to date; nothing was sent" in same.stdout
    _edit(root, "app_opened", lambda d: d.update(description="Changed in git, with a comma."))
    dry = cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run")
    assert "~ changed  app_opened" in dry.stdout and avo_fake.imports == []
    assert avo_fake.server.requests("POST") == []
    real = cli("--project-dir", root, "push", "--select", "avo/main")
    assert real.code == ExitCode.OK, real.output
    (sent,) = avo_fake.imports
    assert sent["contentType"] == "text/csv" and sent["importMethod"] == "addAndUpdate"
    assert {r["Event Name"] for r in sent["rows"]} == {"app_opened"} and len(sent["rows"]) == 7
    assert "Avo: newEvents 0, updatedEvents 1, newProperties 0, updatedProperties 0" in real.stdout
    assert "Pushed 1 change(s) to Avo branch 'main'" in real.stdout
    again = cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run")
    assert "Dry run: no changes" in again.stdout
    pulled = cli("--project-dir", root, "pull", "--select", "avo/main")
    assert "0 created, 0 changed, 18 unchanged" in pulled.stdout


def test_push_request_is_documented_csv_with_import_method_query(cli, make_project, avo_fake) -> None:
    root = _pulled(cli, make_project, avo_fake)
    _edit(root, "screen_viewed", lambda d: d.update(description="Edited."))
    _edit(root, "user_logged_out", lambda d: d.update(description="Edited too."))
    result = cli(
        "--project-dir", root, "push", "--select", "avo/main", "--import-method", "addUpdateAndRemove"
    )
    assert result.code == ExitCode.OK, result.output
    (post,) = avo_fake.server.requests("POST")
    assert post.path == IMPORT_PATH
    assert post.header("content-type") == "text/csv"
    assert post.query == [("importMethod", "addUpdateAndRemove")]
    assert post.header("authorization") == AUTH["Authorization"]
    header = post.body.decode().splitlines()[0].split(",")
    assert header == list(CSV_COLUMNS)
    assert {r["Event Name"] for r in _rows(post.body.decode())} == {"screen_viewed", "user_logged_out"}
    assert len(avo_fake.server.requests()) == 3  # pull's export, push's export, one import for both


def test_round_trip_new_event_and_changed_property_show_in_export(cli, make_project, avo_fake) -> None:
    root = _pulled(cli, make_project, avo_fake)

    def change(data):
        data["properties"]["screen_name"]["enum"] = ["home", "cart, basket"]
        data["properties"]["screen_name"]["description"] = 'Screen, as "named" in code'

    _edit(root, "screen_viewed", change)
    new = event_schema(
        "avo/main/search_performed/1-0.json",
        {
            "query": {"type": "string", "description": "What was typed."},
            "results": {"type": "integer"},
            "filters": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
        },
        required=["query"],
    )
    new["self"]["metadata"] = {"code_owner": "search", "categories": ["Search"]}
    write_schema(root / "schemas", "avo/main/search_performed/1-0.json", new)
    result = cli("--project-dir", root, "push", "--select", "avo/main")
    assert result.code == ExitCode.OK, result.output
    assert "+ added    search_performed" in result.stdout and "~ changed  screen_viewed" in result.stdout
    assert "enum value 'cart, basket' (contains a comma" in result.stdout
    assert "Avo: newEvents 1, updatedEvents 1, newProperties 3, updatedProperties 1" in result.stdout

    fresh = make_project(
        project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url), root=root.parent / "fresh"
    )
    assert cli("--project-dir", fresh, "pull", "--select", "avo/main").code == ExitCode.OK
    search = json.loads((fresh / "schemas/avo/main/search_performed/1-0.json").read_text())
    assert search["properties"] == {
        "query": {"description": "What was typed.", "type": "string"},
        "results": {"description": "", "type": "integer"},
        "filters": {"description": "", "type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
    }
    assert search["required"] == ["query"]
    assert search["self"]["metadata"] == {"code_owner": "search", "categories": ["Search"]}
    screen = json.loads((fresh / "schemas/avo/main/screen_viewed/1-0.json").read_text())
    assert screen["properties"]["screen_name"] == {
        "description": 'Screen, as "named" in code',
        "type": "string",
        "enum": ["home"],
    }
    # the new event matches; screen_viewed stays changed: its comma enum value was not sent
    again = cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run")
    assert "search_performed" not in again.stdout and "~ changed  screen_viewed" in again.stdout


def test_add_only_uses_the_json_schema_format(cli, make_project, avo_fake) -> None:
    root = _pulled(cli, make_project, avo_fake)

    def change(data):
        data["description"] = "Edited description."
        data["properties"]["utm_id"] = {"type": ["string", "null"], "description": "Campaign id."}

    _edit(root, "app_opened", change)
    _edit(root, "checkout_started", lambda d: d.update(description="Edited too."))
    result = cli(
        "--project-dir", root, "push", "--select", "avo/main/app_opened", "--import-method", "addOnly"
    )
    assert result.code == ExitCode.OK, result.output
    (post,) = avo_fake.server.requests("POST")
    assert post.header("content-type") == "application/json" and post.query == []
    body = json.loads(post.body)
    assert list(body["schema"]["events"]) == ["app_opened"]
    event = body["schema"]["events"]["app_opened"]
    assert event["type"] == "object" and event["properties"]["utm_id"]["type"] == ["string", "null"]
    assert "utm_campaign" in event["required"]
    assert "app_opened: not transferred by Avo's JSON Schema import: tags and categories" in result.stdout
    assert "Avo: newEvents 0, updatedEvents 1, newProperties 1, updatedProperties 0" in result.stdout
    assert "addOnly: existing events only gain new properties" in result.stdout
    # add only: the new nullable property arrived, the description did not change
    fresh = make_project(
        project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url), root=root.parent / "fresh"
    )
    cli("--project-dir", fresh, "pull", "--select", "avo/main/app_opened")
    pulled = json.loads((fresh / "schemas/avo/main/app_opened/1-0.json").read_text())
    assert pulled["properties"]["utm_id"] == {"description": "Campaign id.", "type": ["string", "null"]}
    assert pulled["description"] != "Edited description."


def test_dry_run_prints_notes_and_sends_nothing(cli, make_project, avo_fake) -> None:
    root = _pulled(cli, make_project, avo_fake)
    _edit(root, "checkout_started", lambda d: d.update(description="Edited."))
    dry = cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run")
    assert dry.code == ExitCode.OK
    (note,) = [line for line in dry.stdout.splitlines() if line.startswith("checkout_started: ")]
    assert note.startswith("checkout_started: not transferred by Avo's CSV import: ")
    assert "checkout_payment_method nullable (no CSV column)" in note and "checkout_basket" not in note
    assert "Dry run: 1 change(s) for Avo branch 'main'; nothing was sent" in dry.stdout
    assert avo_fake.server.requests("POST") == []
    # a CSV update keeps what the CSV cannot say (nullability), so the plan converges
    real = cli("--project-dir", root, "push", "--select", "avo/main")
    assert real.code == ExitCode.OK and "updatedEvents 1" in real.stdout, real.output
    again = cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run")
    assert "Dry run: no changes" in again.stdout


def test_unknown_import_method_and_delete_are_usage_errors(cli, make_project, avo_fake) -> None:
    root = _pulled(cli, make_project, avo_fake)
    result = cli("--project-dir", root, "push", "--select", "avo/main", "--import-method", "replace")
    assert result.code == ExitCode.USAGE and "unknown --import-method 'replace'" in result.stderr
    delete = cli("--project-dir", root, "push", "--select", "avo/main", "--delete", "--force")
    assert delete.code == ExitCode.USAGE and "cannot delete events" in delete.stderr
    assert avo_fake.server.requests("POST") == []


# -- errors ----------------------------------------------------------------------------------------


def _push_error(cli, root: Path) -> object:
    result = cli("--project-dir", root, "push", "--select", "avo/main")
    assert result.code == ExitCode.USAGE, result.output
    assert "Traceback" not in result.output and "s3cret" not in result.output
    return result


def test_import_errors_are_one_line_exit_2_without_the_secret(cli, make_project, avo_fake) -> None:
    root = _pulled(cli, make_project, avo_fake)
    _edit(root, "app_opened", lambda d: d.update(description="Edited."))
    body = {"error": "Event name clash", "warnings": ["Unsupported keyword 'not' in event 'x'"]}
    avo_fake.server.fail(Reply(400, json.dumps(body).encode()), method="POST")
    bad = _push_error(cli, root)
    (line,) = [line for line in bad.stderr.splitlines() if "HTTP 400" in line]
    assert "Avo answered HTTP 400 while importing 1 event(s) into Avo branch 'main': Event name clash" in line
    assert "(Avo warnings: Unsupported keyword 'not' in event 'x')" in line
    avo_fake.server.fail(Reply(401, b'{"error": "Unauthorized", "warnings": []}'), method="POST")
    assert "Avo rejected the credentials (HTTP 401) while importing" in _push_error(cli, root).stderr
    avo_fake.protected_main = True
    protected = _push_error(cli, root)
    assert "Avo refused access (HTTP 403) while importing 1 event(s)" in protected.stderr
    assert "'Protected main branch' is enabled" in protected.stderr
    assert avo_fake.imports == []


# -- the fake follows the import docs --------------------------------------------------------------


def _post(avo_fake, body: bytes, content_type: str | None, headers: dict[str, str] = AUTH) -> httpx.Response:
    sent = dict(headers)
    if content_type is not None:
        sent["Content-Type"] = content_type
    return httpx.post(avo_fake.url + IMPORT_PATH, content=body, headers=sent)


def test_fake_rejects_other_content_types_and_missing_columns(avo_fake) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        response = _post(avo_fake, b"Event Name\nx\n", content_type)
        assert response.status_code == 400
        assert response.json() == {"error": BAD_CONTENT_TYPE, "warnings": []}
    response = _post(avo_fake, b"Event Name,Event Description,Property Name\nx,,\n", "text/csv")
    assert response.status_code == 400
    assert response.json()["error"].startswith("Missing required column(s) in the CSV header: Event Category")
    assert "Is Property Array?" in response.json()["error"]
    assert _post(avo_fake, b"", "text/csv", headers={}).status_code == 401
    assert avo_fake.imports == []


def test_fake_csv_import_any_column_order_extra_columns_and_add_only_default(avo_fake) -> None:
    columns = ["Extra", *reversed(CSV_REQUIRED_COLUMNS)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns)
    writer.writeheader()
    row = dict.fromkeys(columns, "")
    writer.writerow({**row, "Event Name": "app_opened", "Event Description": "Ignored by add only"})
    writer.writerow(
        {
            **row,
            "Event Name": "New One",
            "Sources": "Web, Kiosk",
            "Property Name": "level",
            "Property Value Type": "int",
            "Is Property Required?": "TRUE",
            "Is Property Array?": "false",
            "Property Enumeration Options": "1, 2",
        }
    )
    response = _post(avo_fake, buffer.getvalue().encode(), "text/csv")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "message": "Import completed",
        "result": {
            "newEvents": 1,
            "updatedEvents": 0,
            "newProperties": 1,
            "updatedProperties": 0,
            "newSources": 2,
            "newStakeholderDomains": 0,
        },
        "warnings": [],
    }
    export = httpx.get(avo_fake.url + "/workspaces/ws123/branches/main/export/v1", headers=AUTH).json()
    events = {e["name"]: e for e in export["events"]}
    assert events["app_opened"]["description"] != "Ignored by add only"
    level = events["New One"]["rules"]["properties"]["properties"]
    assert level["properties"]["level"]["enum"] == [1, 2] and level["required"] == ["level"]
    assert [s["name"] for s in events["New One"]["sources"]] == ["Web", "Kiosk"]


def test_fake_json_schema_import_maps_types_and_warns(avo_fake) -> None:
    schema = {
        "schema": {
            "events": {
                "Signup Completed": {
                    "type": "object",
                    "properties": {
                        "signup_method": {"type": "string", "enum": ["google", "email"]},
                        "tries": {"type": ["integer", "null"]},
                        "extra": {"patternProperties": {"^x": {}}},
                    },
                    "required": ["signup_method"],
                    "allOf": [{"properties": {"is_new_user": {"type": "boolean"}}}],
                }
            }
        }
    }
    response = _post(avo_fake, json.dumps(schema).encode(), "application/json")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["result"]["newEvents"] == 1 and answer["result"]["newProperties"] == 4
    assert answer["warnings"] == [
        "Unsupported keyword 'patternProperties' in property 'extra' of event 'Signup Completed'"
    ]
    bad = _post(avo_fake, b'{"events": {}}', "application/json")
    assert bad.status_code == 400 and "schema" in bad.json()["error"]
