"""Iglu: static registries (HTTP and folder), Iglu Server, and SchemaVer <-> MAJOR-MINOR mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reflekt.errors import ExitCode
from reflekt.registries.iglu import iglu_version, local_version
from tests.fakes.iglu import iglu_profiles
from tests.fakes.static import static_server

SCHEMAVER_YML = (
    "version: 1.0\nname: p\nvendor: com.example\ndefault_profile: dev\nschemas:\n  versioning: schemaver\n"
)
API_KEY = "6175aa41-d3b7-4e4f-9fb4-3a170f3c6c16"


def _ids(root: Path, under: str = "iglu") -> list[str]:
    return sorted(
        p.relative_to(root / "schemas").as_posix() for p in (root / "schemas" / under).rglob("*.json")
    )


def test_pull_all_of_iglu_central_over_plain_http(cli, make_project, shared_dir, fast_http) -> None:
    corpus = shared_dir / "corpora/iglu-central"
    with static_server(corpus) as url:
        root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(url))
        result = cli("--project-dir", root, "pull", "--select", "iglu")
    assert result.code == ExitCode.OK, result.output[-2000:]
    assert "Found 563 schema(s) in the Iglu registry" in result.stdout
    expected = sorted(
        f"iglu/{p.parts[-4]}/{p.parts[-3]}/{p.parts[-1]}.json"
        for p in (corpus / "schemas").glob("*/*/jsonschema/*")
    )
    assert len(expected) == 548 and _ids(root) == expected
    assert "548 created, 0 changed, 0 unchanged, 15 skipped" in result.stdout
    assert result.stderr.count("is not JSON Schema") == 15
    sample = json.loads(
        (root / "schemas/iglu/com.snowplowanalytics.snowplow/link_click/1-0-1.json").read_text()
    )
    source = json.loads(
        (corpus / "schemas/com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1").read_text()
    )
    assert sample["$id"] == "iglu/com.snowplowanalytics.snowplow/link_click/1-0-1.json"
    assert {k: v for k, v in sample.items() if k != "$id"} == source


def test_major_minor_project_maps_m_0_a_and_reports_revisions(cli, make_project, shared_dir) -> None:
    corpus = shared_dir / "corpora/iglu-central"
    root = make_project(profiles_yml=iglu_profiles(str(corpus)))
    result = cli("--project-dir", root, "pull", "--select", "iglu/com.snowplowanalytics.snowplow")
    assert result.code == ExitCode.OK, result.output[-2000:]
    assert (root / "schemas/iglu/com.snowplowanalytics.snowplow/link_click/1-1.json").is_file()
    revisions = [
        p
        for p in (corpus / "schemas/com.snowplowanalytics.snowplow").glob("*/jsonschema/*")
        if p.name.split("-")[1] != "0"
    ]
    for path in revisions:
        assert (
            f"{path.parts[-3]}/jsonschema/{path.name}: version {path.name} has no MAJOR-MINOR equivalent"
            in result.stderr
        )
    assert not list((root / "schemas/iglu").rglob("*-*-*.json"))


def test_folder_round_trip_writes_the_static_layout(cli, make_project, shared_dir, tmp_path) -> None:
    samples = shared_dir / "apis/iglu/iglu-central-samples"
    root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(str(samples)))
    assert cli("--project-dir", root, "pull", "--select", "iglu").code == ExitCode.OK
    target = tmp_path / "registry"
    (root / "reflekt_profiles.yml").write_text(iglu_profiles(str(target)), encoding="utf-8")
    dry = cli("--project-dir", root, "push", "--select", "iglu", "--dry-run")
    assert (
        dry.code == ExitCode.OK
        and "+ added    iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-0" in dry.stdout
    )
    assert not target.exists()
    pushed = cli("--project-dir", root, "push", "--select", "iglu")
    assert pushed.code == ExitCode.OK, pushed.output
    for source in (samples / "schemas").glob("*/*/jsonschema/*"):
        written = target / "schemas" / source.relative_to(samples / "schemas")
        assert json.loads(written.read_text()) == json.loads(source.read_text())
    again = cli("--project-dir", root, "push", "--select", "iglu", "--dry-run")
    assert "Dry run: no changes" in again.stdout
    back = cli("--project-dir", root, "pull", "--select", "iglu")  # from the folder we just wrote
    assert (
        back.code == ExitCode.OK
        and " 0 created, 0 changed, " in back.stdout
        and "created   " not in back.stdout
    )


def test_iglu_server_pull_push_and_errors(cli, make_project, iglu_fake, shared_dir) -> None:
    example = json.loads(
        (
            shared_dir / "apis/iglu/iglu-example-schema-registry/schemas/com.example_company/"
            "example_event/jsonschema/1-0-0"
        ).read_text()
    )
    iglu_fake.add(example)
    root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(iglu_fake.url, API_KEY))
    pulled = cli("--project-dir", root, "pull", "--select", "iglu/com.example_company")
    assert pulled.code == ExitCode.OK, pulled.output
    assert _ids(root) == ["iglu/com.example_company/example_event/1-0-0.json"]
    assert "Dry run: no changes" in cli("--project-dir", root, "push", "--select", "iglu", "--dry-run").stdout

    event_dir = root / "schemas/iglu/com.example_company/example_event"
    skipped = json.loads((event_dir / "1-0-0.json").read_text())
    skipped.update({"$id": "iglu/com.example_company/example_event/1-0-2.json"})
    skipped["self"]["version"] = "1-0-2"
    (event_dir / "1-0-2.json").write_text(json.dumps(skipped), encoding="utf-8")
    conflict = cli("--project-dir", root, "push", "--select", "iglu")
    assert conflict.code == ExitCode.USAGE
    assert (
        "Iglu answered HTTP 409 while publishing iglu:com.example_company/example_event/jsonschema/1-0-2: "
        "Preceding SchemaVer in the group is missing"
    ) in conflict.stderr

    nxt = dict(skipped, **{"$id": "iglu/com.example_company/example_event/1-0-1.json"})
    nxt["self"] = dict(skipped["self"], version="1-0-1")
    (event_dir / "1-0-1.json").write_text(json.dumps(nxt), encoding="utf-8")
    ok = cli("--project-dir", root, "push", "--select", "iglu")
    assert ok.code == ExitCode.OK, ok.output
    assert ("com.example_company", "example_event", "jsonschema", "1-0-2") in iglu_fake.schemas


def test_iglu_server_validation_report_and_bad_key(cli, make_project, iglu_fake) -> None:
    root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(iglu_fake.url, API_KEY))
    bad = {
        "$id": "iglu/com.acme/thing/1-0-0.json",
        "$schema": "http://example.com/not-self-describing",
        "self": {"vendor": "com.acme", "name": "thing", "format": "jsonschema", "version": "1-0-0"},
        "type": "object",
    }
    path = root / "schemas/iglu/com.acme/thing/1-0-0.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = cli("--project-dir", root, "push", "--select", "iglu")
    assert result.code == ExitCode.USAGE
    assert "HTTP 400 while publishing iglu:com.acme/thing/jsonschema/1-0-0" in result.stderr
    assert "[JSON Schema is not self-describing at /]" in result.stderr
    (root / "reflekt_profiles.yml").write_text(iglu_profiles(iglu_fake.url, "wrong-key"), encoding="utf-8")
    bad["$schema"] = "http://json-schema.org/draft-07/schema#"
    path.write_text(json.dumps(bad), encoding="utf-8")
    denied = cli("--project-dir", root, "push", "--select", "iglu")
    assert denied.code == ExitCode.USAGE and "Iglu refused access (HTTP 403)" in denied.stderr


@pytest.mark.parametrize(
    ("iglu", "versioning", "local"),
    [
        ("1-0-0", "major-minor", "1-0"),
        ("2-0-3", "major-minor", "2-3"),
        ("1-1-0", "major-minor", None),
        ("1-1-0", "schemaver", "1-1-0"),
        ("1-0", "schemaver", None),
    ],
)
def test_version_mapping(iglu: str, versioning: str, local: str | None) -> None:
    assert local_version(iglu, versioning) == local
    if local is not None:
        assert iglu_version(local, versioning) == iglu


def test_iglu_server_failure_part_way_says_what_was_published(cli, make_project, iglu_fake) -> None:
    root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(iglu_fake.url, API_KEY))
    for version in ("1-0-0", "1-0-2"):  # 1-0-1 is missing: the server refuses 1-0-2 after taking 1-0-0
        schema = {
            "$id": f"iglu/com.acme/thing/{version}.json",
            "$schema": "http://json-schema.org/draft-07/schema#",
            "self": {"vendor": "com.acme", "name": "thing", "format": "jsonschema", "version": version},
            "type": "object",
        }
        path = root / f"schemas/iglu/com.acme/thing/{version}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(schema), encoding="utf-8")
    result = cli("--project-dir", root, "push", "--select", "iglu/com.acme")
    assert result.code == ExitCode.USAGE
    assert "HTTP 409 while publishing iglu:com.acme/thing/jsonschema/1-0-2" in result.stderr
    assert "(1 of 2 schema(s) were published before this failure)" in result.stderr
    assert "Pushed" not in result.stdout
    assert list(iglu_fake.schemas) == [("com.acme", "thing", "jsonschema", "1-0-0")]
    assert iglu_fake.schemas[("com.acme", "thing", "jsonschema", "1-0-0")]["$schema"].startswith(
        "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0"
    )


def _folder_registry(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "registry"
    for name, raw in files.items():
        path = folder / "schemas" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    return folder


@pytest.mark.parametrize("junk", [b"{ not json", b"[" * 10_000 + b"]" * 10_000], ids=["invalid", "deep"])
def test_push_over_an_unparsable_file_in_the_folder_is_a_change(cli, make_project, tmp_path, junk) -> None:
    folder = _folder_registry(tmp_path, {"com.acme/thing/jsonschema/1-0-0": junk})
    root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(str(folder)))
    schema = {
        "$id": "iglu/com.acme/thing/1-0-0.json",
        "$schema": "http://json-schema.org/draft-07/schema#",
        "self": {"vendor": "com.acme", "name": "thing", "format": "jsonschema", "version": "1-0-0"},
        "type": "object",
    }
    path = root / "schemas/iglu/com.acme/thing/1-0-0.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(schema), encoding="utf-8")
    dry = cli("--project-dir", root, "push", "--select", "iglu", "--dry-run")
    assert dry.code == ExitCode.OK, dry.output
    assert "changed  iglu:com.acme/thing/jsonschema/1-0-0" in dry.stdout
    assert "added" not in dry.stdout
    assert (folder / "schemas/com.acme/thing/jsonschema/1-0-0").read_bytes() == junk


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xef\xbb\xbf{}", "1-0-0:1:1: schema starts with a byte-order mark (BOM)"),
        (b'{\n  "a": \xff}', "1-0-0:2:8: schema is not UTF-8 text"),
        (b'{\n  "type": "object",,\n}', "1-0-0:2:20: invalid JSON"),
        (b"[" * 10_000 + b"]" * 10_000, "1-0-0: schema is nested too deeply to read"),
    ],
)
def test_pull_from_a_folder_reports_bad_files_with_positions(cli, make_project, tmp_path, raw, message) -> None:
    folder = _folder_registry(tmp_path, {"com.acme/thing/jsonschema/1-0-0": raw})
    root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(str(folder)))
    result = cli("--project-dir", root, "pull", "--select", "iglu")
    assert result.code == ExitCode.USAGE, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_pull_from_a_folder_with_an_unreadable_file_names_it(cli, make_project, tmp_path, monkeypatch) -> None:
    folder = _folder_registry(tmp_path, {"com.acme/thing/jsonschema/1-0-0": b"{}"})
    root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(str(folder)))
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # chmod 000 does not stop root, so refuse by hand
        if self.name == "1-0-0" and "registry" in self.parts:
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = cli("--project-dir", root, "pull", "--select", "iglu")
    assert result.code == ExitCode.USAGE, result.output
    assert "com.acme/thing/jsonschema/1-0-0: cannot read the Iglu registry file: Permission denied" in result.stderr
    assert "Traceback" not in result.output
