"""Avo: pull the real export payload, clean Avo-only keys, tags/categories -> metadata, push via import."""

from __future__ import annotations

import json

from reflekt.errors import ExitCode
from reflekt.registries.avo import strip_avo_keys, tags_to_metadata
from tests.fakes.avo import avo_profiles

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


def test_pull_then_push_is_a_no_op_and_changes_are_imported(cli, make_project, avo_fake) -> None:
    root = make_project(project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url))
    assert cli("--project-dir", root, "pull", "--select", "avo/main").code == ExitCode.OK
    dry = cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run")
    assert dry.code == ExitCode.OK and "Dry run: no changes for Avo branch 'main'" in dry.stdout
    path = root / "schemas/avo/main/app_opened/1-0.json"
    data = json.loads(path.read_text())
    data["description"] = "Changed in git."
    path.write_text(json.dumps(data), encoding="utf-8")
    dry = cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run")
    assert "~ changed  app_opened" in dry.stdout and avo_fake.imports == []
    real = cli("--project-dir", root, "push", "--select", "avo/main")
    assert real.code == ExitCode.OK, real.output
    assert avo_fake.imports[0]["importMethod"] == "addAndUpdate"
    assert [e["name"] for e in avo_fake.imports[0]["events"]] == ["app_opened"]
    assert "Avo: newEvents 0, updatedEvents 1" in real.stdout
    assert (
        cli("--project-dir", root, "push", "--select", "avo/main", "--dry-run").stdout.count("changed") == 0
    )


def test_unknown_import_method_is_a_usage_error(cli, make_project, avo_fake) -> None:
    root = make_project(project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url))
    cli("--project-dir", root, "pull", "--select", "avo/main")
    result = cli("--project-dir", root, "push", "--select", "avo/main", "--import-method", "replace")
    assert result.code == ExitCode.USAGE and "unknown --import-method 'replace'" in result.stderr


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


def test_push_one_event_imports_only_that_event(cli, make_project, avo_fake) -> None:
    root = make_project(project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url))
    assert cli("--project-dir", root, "pull", "--select", "avo/main").code == ExitCode.OK
    for name in ("app_opened", "checkout_started"):
        path = root / f"schemas/avo/main/{name}/1-0.json"
        path.write_text(path.read_text().replace('"description": "', '"description": "Edited. ', 1))
    result = cli(
        "--project-dir", root, "push", "--select", "avo/main/checkout_started", "--import-method", "addOnly"
    )
    assert result.code == ExitCode.OK, result.output
    assert [e["name"] for e in avo_fake.imports[0]["events"]] == ["checkout_started"]
    assert avo_fake.imports[0]["importMethod"] == "addOnly"
