"""Bad input never crashes: a one-line error naming the file (line:col), a hint, the documented exit code.

Each table row is an input a user can really produce (a typo, a stray tag, a Windows editor, a
shell variable with a NUL, a hostile YAML file). Run one family with `pytest -k project-file`.
"""

from __future__ import annotations

import http.server
import json
import os
import threading
from pathlib import Path

import pytest

from reflekt.errors import ExitCode
from tests.helpers import event_schema

CART = "shop/Cart Viewed/1-0.json"
PROFILES_YML = "dev:\n  registry: []\n  source: []\n"
BILLION_LAUGHS = "lol: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)

# the same bomb built from complex keys (`? [*a, *a]`): printing one key would take gigabytes
KEY_LAUGHS = "? &a [x, x, x, x, x, x, x, x, x]\n: 1\n" + "".join(
    f"? &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n: {i}\n" for i in range(8)
)


def assert_clean_error(result, code: int, *needles: str) -> None:
    """The documented exit code, no traceback, no 'unexpected error', and the expected words."""
    assert result.code == code, result.output
    assert "Traceback" not in result.output, result.output
    assert "unexpected error" not in result.output, result.output
    for needle in needles:
        assert needle in result.output, result.output


def meta_schema() -> dict:
    from reflekt.init.templates import meta_schema

    return meta_schema()


@pytest.fixture
def project(make_project):
    """A valid project with one clean schema, an init meta-schema and a profile."""
    root = make_project(schemas={CART: event_schema(CART)}, profiles_yml=PROFILES_YML)
    (root / "schemas/.reflekt/meta/1-0.json").write_text(json.dumps(meta_schema()), encoding="utf-8")
    return root


# -- reflekt_project.yml ----------------------------------------------------------------------

PROJECT_BASE = "version: 1.0\nname: shop\nvendor: com.example\ndefault_profile: dev\n"

PROJECT_FILE_CASES = {
    "empty": ("", "must be a mapping"),
    "top-level-list": ("- a\n- b\n", "must be a mapping"),
    "top-level-scalar": ("hello\n", "must be a mapping"),
    "binary-garbage": (b"\x87\xff\x00garbage", "reflekt_project.yml:1:1: reflekt_project.yml is not UTF-8"),
    "latin-1": ("name: caf\xe9\n".encode("latin-1"), "reflekt_project.yml:1:10: reflekt_project.yml is not UTF-8"),
    "tab-indent": ("name: x\n\tvendor: y\n", "reflekt_project.yml:2:1: invalid YAML"),
    "duplicate-key": (PROJECT_BASE + "name: other\n", "reflekt_project.yml:5:1: duplicate key 'name'"),
    "name-is-a-number": (PROJECT_BASE.replace("name: shop", "name: 123"), "reflekt_project.yml:2:7: invalid value for 'name'"),
    "lint-is-garbage": (PROJECT_BASE + "lint: garbage\n", "reflekt_project.yml:5:7: invalid value for 'lint'"),
    "schemas-null": (PROJECT_BASE + "schemas: null\n", "invalid value for 'schemas'"),
    "conventions-list": (PROJECT_BASE + "schemas:\n  conventions: []\n", "reflekt_project.yml:6:16"),
    "reserved-not-a-list": (
        PROJECT_BASE + "schemas:\n  conventions:\n    event:\n      reserved: notalist\n",
        "reflekt_project.yml:8:17: invalid value for 'schemas.conventions.event.reserved'",
    ),
    "python-object-tag": (
        PROJECT_BASE + "x: !!python/object:os.system ls\n", "reflekt_project.yml:5:4: invalid YAML"
    ),
    "custom-tag": (PROJECT_BASE.replace("vendor: com.example", "vendor: !foo bar"), "reflekt_project.yml:3:9: invalid YAML"),
    "billion-laughs": (PROJECT_BASE + BILLION_LAUGHS, "expands aliases more than"),
    "billion-laughs-in-keys": (
        PROJECT_BASE + KEY_LAUGHS,
        "reflekt_project.yml:5:3: invalid YAML in reflekt_project.yml: a key must be a plain value, not a list",
    ),
    "deeply-nested-flow": (PROJECT_BASE + "x: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
}


@pytest.mark.parametrize("command", ["lint", "debug", "report"])
@pytest.mark.parametrize(("content", "expected"), list(PROJECT_FILE_CASES.values()),
                         ids=[f"project-file-{k}" for k in PROJECT_FILE_CASES])
def test_broken_project_file_is_a_config_error(cli, project, command, content, expected) -> None:
    path = project / "reflekt_project.yml"
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, command), ExitCode.USAGE, expected, "hint:")


@pytest.mark.parametrize("command", ["lint", "debug"])
def test_broken_lint_block_fails_lint_and_debug(cli, project, command) -> None:
    (project / "reflekt_project.yml").write_text(PROJECT_BASE + "lint: {rules: {ZZ99: error}}\n", encoding="utf-8")
    result = cli("--project-dir", project, command)
    assert_clean_error(result, ExitCode.USAGE, "reflekt_project.yml:5:16: lint: unknown rule 'ZZ99'")


def test_project_file_that_is_a_folder(cli, project) -> None:
    (project / "reflekt_project.yml").unlink()
    (project / "reflekt_project.yml").mkdir()
    assert_clean_error(cli("--project-dir", project, "lint"), ExitCode.USAGE, "reflekt_project.yml is a folder")


def test_project_dir_that_is_a_file(cli, project) -> None:
    result = cli("--project-dir", project / "reflekt_project.yml", "lint")
    assert_clean_error(result, ExitCode.USAGE, "is a file, not a folder")


def test_project_file_with_bom_is_read(cli, project) -> None:
    path = project / "reflekt_project.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert_clean_error(cli("--project-dir", project, "lint"), ExitCode.OK, "1 of 1 schema")


def test_profiles_path_too_long_for_the_os(cli, project) -> None:
    path = project / "reflekt_project.yml"
    path.write_text(PROJECT_BASE + "profiles_path: " + "a" * 5000 + "\n", encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, "debug"), ExitCode.USAGE, "no reflekt_profiles.yml found")


# -- reflekt_profiles.yml and .env ----------------------------------------------------------------

PROFILES_CASES = {
    "binary-garbage": (b"\xa6\x00\xff", "reflekt_profiles.yml:1:1: reflekt_profiles.yml is not UTF-8"),
    "billion-laughs": (BILLION_LAUGHS, "expands aliases more than"),
    "billion-laughs-in-keys": (KEY_LAUGHS, "a key must be a plain value"),
    "custom-tag": ("dev: !vault abc\n", "reflekt_profiles.yml:1:6: invalid YAML"),
    "port-out-of-range": (
        "dev:\n  source:\n  - {type: postgres, database: d, user: u, port: 99999999}\n",
        "reflekt_profiles.yml:3:50: invalid value for 'dev.source.0.port'",
    ),
    "registry-url-bad-ipv6": (
        "dev:\n  registry:\n  - {type: segment, api_token: tok12345, url: 'http://[::1'}\n",
        "reflekt_profiles.yml:3:47: invalid value for 'dev.registry.0.url': not a valid URL",
    ),
    "iglu-url-bad-ipv6": (
        "dev:\n  registry:\n  - {type: iglu, url: 'http://[::1'}\n", "invalid value for 'dev.registry.0.url'"
    ),
    "registry-url-ftp": (
        ("dev:\n  registry:\n  - {type: avo, workspace_id: w, service_account_name: n, "
         "service_account_secret: s12345, url: 'ftp://example.com'}\n"),
        "expected an http or https URL",
    ),
}


@pytest.mark.parametrize(("content", "expected"), list(PROFILES_CASES.values()),
                         ids=[f"profiles-file-{k}" for k in PROFILES_CASES])
def test_broken_profiles_file_is_a_config_error(cli, project, content, expected) -> None:
    path = project / "reflekt_profiles.yml"
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, "debug"), ExitCode.USAGE, expected)


@pytest.mark.parametrize("select", ["segment/ecommerce", "iglu/com.acme"], ids=["pull-segment", "pull-iglu"])
def test_unusable_registry_url_fails_before_any_request(cli, project, select) -> None:
    registry = select.split("/")[0]
    entry = "{type: segment, api_token: tok12345, url: 'http://[::1'}" if registry == "segment" \
        else "{type: iglu, url: 'http://[::1'}"
    (project / "reflekt_profiles.yml").write_text(f"dev:\n  registry:\n  - {entry}\n", encoding="utf-8")
    result = cli("--project-dir", project, "pull", "--select", select)
    assert_clean_error(result, ExitCode.USAGE, "reflekt_profiles.yml:3:", "not a valid URL")


def test_dotenv_that_is_not_utf8(cli, project) -> None:
    (project / ".env").write_bytes(b"\xff\xfeA=1\n")
    assert_clean_error(cli("--project-dir", project, "lint"), ExitCode.USAGE, ".env:1:1: .env is not UTF-8")


def test_profiles_dir_too_long_for_the_os(cli, project) -> None:
    result = cli("--profiles-dir", project / ("a" * 300), "--project-dir", project, "debug")
    assert_clean_error(result, ExitCode.USAGE, "profiles file not found")


# -- schemas/ -----------------------------------------------------------------------------------

DEEP = '{"a":' * 10000 + "1" + "}" * 10000
SCHEMA_FILE_CASES = {
    "empty": ("", "1-0.json:1:1: invalid JSON"),
    "null": ("null", "a schema must be a JSON object"),
    "deeply-nested": (DEEP, "nested too deeply"),
    "latin-1": ('{"description": "caf\xe9"}'.encode("latin-1"), "1-0.json:1:21: schema is not UTF-8"),
    "utf-16": ('{"a": 1}'.encode("utf-16"), "1-0.json:1:1: schema is not UTF-8"),
    "bom": (b"\xef\xbb\xbf" + json.dumps(event_schema(CART)).encode(), "1-0.json:1:1: schema starts with a byte-order mark"),
}


@pytest.mark.parametrize("command", ["report", "validate"])
@pytest.mark.parametrize(("content", "expected"), list(SCHEMA_FILE_CASES.values()),
                         ids=[f"schema-file-{k}" for k in SCHEMA_FILE_CASES])
def test_broken_schema_file_is_reported_with_its_position(cli, project, command, content, expected) -> None:
    path = project / "schemas" / CART
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    (project / "events.jsonl").write_text('{"type": "track", "event": "Cart Viewed", "properties": {}}\n')
    extra = ["--events", project / "events.jsonl"] if command == "validate" else []
    assert_clean_error(cli("--project-dir", project, command, *extra), ExitCode.USAGE, expected)


@pytest.mark.parametrize(("content", "expected"), list(SCHEMA_FILE_CASES.values()),
                         ids=[f"schema-file-{k}" for k in SCHEMA_FILE_CASES])
def test_broken_schema_file_is_a_lint_finding_and_a_debug_row(cli, project, content, expected) -> None:
    path = project / "schemas" / CART
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    lint = cli("--project-dir", project, "lint")
    assert_clean_error(lint, ExitCode.FINDINGS, "PA01")
    debug = cli("--project-dir", project, "debug")
    assert_clean_error(debug, ExitCode.USAGE, "checks failed: schemas")


@pytest.mark.parametrize("command", ["lint", "report", "debug"])
@pytest.mark.parametrize("shape", ["missing", "a-file"], ids=["schemas-dir-missing", "schemas-dir-is-a-file"])
def test_schemas_folder_missing_or_a_file(cli, project, command, shape) -> None:
    import shutil

    shutil.rmtree(project / "schemas")
    if shape == "a-file":
        (project / "schemas").write_text("oops")
    expected = "schemas/ is a file" if shape == "a-file" else "has no schemas/ folder"
    assert_clean_error(cli("--project-dir", project, command), ExitCode.USAGE, expected)


def test_symlink_loops_in_schemas_are_ignored(cli, project) -> None:
    folder = project / "schemas" / "shop"
    os.symlink("b", folder / "a")
    os.symlink("a", folder / "b")
    os.symlink("y.json", folder / "Cart Viewed" / "x.json")
    os.symlink("x.json", folder / "Cart Viewed" / "y.json")
    os.symlink(".", folder / "Cart Viewed" / "loop")
    for command in ("lint", "report", "debug"):
        result = cli("--project-dir", project, command)
        assert_clean_error(result, ExitCode.OK)


# -- the meta-schema never reaches the network ----------------------------------------------------


@pytest.fixture
def request_log():
    """A local HTTP server that records every request; a $ref to it must never be fetched."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"type": "object"}')

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("where", ["top-level", "nested"], ids=["meta-ref-top-level", "meta-ref-nested"])
@pytest.mark.parametrize("command", ["lint", "debug"])
def test_remote_ref_in_meta_schema_is_refused_not_fetched(cli, project, request_log, command, where) -> None:
    url, seen = request_log
    meta = {"$ref": f"{url}/meta.json"} if where == "top-level" else \
        {"properties": {"self": {"$ref": f"{url}/self.json"}}}
    (project / "schemas/.reflekt/meta/1-0.json").write_text(json.dumps(meta), encoding="utf-8")
    result = cli("--project-dir", project, command)
    assert_clean_error(result, ExitCode.USAGE, "reflekt does not fetch remote references")
    assert seen == []


META_CASES = {
    "invalid-json": ("{bad", "1-0.json:1:2: meta-schema: invalid JSON"),
    "not-an-object": ("[]", "meta-schema: a schema must be a JSON object"),
    "missing-local-ref": ('{"$ref": "#/definitions/nope"}', "definitions/nope"),
    "file-ref": ('{"$ref": "file:///etc/passwd"}', "reflekt does not fetch remote references"),
}


@pytest.mark.parametrize("command", ["lint", "debug"])
@pytest.mark.parametrize(("content", "expected"), list(META_CASES.values()), ids=[f"meta-{k}" for k in META_CASES])
def test_broken_meta_schema(cli, project, command, content, expected) -> None:
    (project / "schemas/.reflekt/meta/1-0.json").write_text(content, encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, command), ExitCode.USAGE, expected)


# -- command-line options -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["lint", "--select", "a\0b"], "matches no schema"),
        (["lint", "--select", "a" * 100_000], "matches no schema"),
        (["lint", "--select", "../.."], "points outside schemas/"),
        (["lint", "--select", "/etc/passwd"], "points outside schemas/"),
        (["lint", "--select", "\u2603/\U0001f600"], "matches no schema"),
        (["lint", "--format", "xml"], "unknown --format 'xml'"),
        (["report", "--format", "pdf"], "unknown --format 'pdf'"),
        (["report", "--select", "../x"], "points outside schemas/"),
        (["validate", "--events", "{root}/schemas"], "is a folder"),
        (["validate", "--events", "{root}/missing.jsonl"], "--events file not found"),
        (["validate", "--source", ""], "is not <id>.<database>.<schema>"),
        (["validate", "--source", "'dev'.db.raw"], "not found in profile"),
        (["build", "dbt", "--source", "a..b"], "is not <id>.<database>.<schema>"),
        (["pull", "--select", ""], "name the registry"),
        (["pull", "--select", "segment/../../etc"], "must not contain"),
        (["report", "--output", "{root}/" + "a" * 300 + ".md"], "cannot write --output"),
        (["report", "--output", "{root}/reflekt_project.yml/x.md"], "cannot write --output"),
        (["lint", "--output", "{root}/" + "a" * 300], "cannot use --output"),
        (["lint", "--output", "{root}/reflekt_project.yml/x.txt"], "cannot write --output"),
        (["init", "--no-input", "--dir", "{root}/reflekt_project.yml/sub"], "is a file, not a folder"),
        (["init", "--no-input", "--dir", "{root}/" + "a" * 300], "cannot use --dir"),
        (["init", "--no-input", "--dir", "{root}/new", "--vendor", "a: b\n#c"], "invalid vendor"),
    ],
    ids=[
        "select-nul", "select-100k-chars", "select-dotdot", "select-absolute", "select-unicode",
        "lint-format-unknown", "report-format-unknown", "report-select-dotdot", "events-is-a-folder",
        "events-missing", "validate-source-empty", "validate-source-quoted-id", "build-source-empty-part",
        "pull-select-empty", "pull-select-dotdot", "report-output-name-too-long", "report-output-under-a-file",
        "lint-output-name-too-long", "lint-output-under-a-file", "init-dir-under-a-file",
        "init-dir-name-too-long", "init-vendor-multiline",
    ],
)
def test_bad_option_values_are_usage_errors(cli, project, args, expected) -> None:
    args = [a.replace("{root}", str(project)) for a in args]
    assert_clean_error(cli("--project-dir", project, *args), ExitCode.USAGE, expected)


def test_events_path_with_nul_byte(cli, project) -> None:
    result = cli("--project-dir", project, "validate", "--events", f"{project}/a\0b.jsonl")
    assert_clean_error(result, ExitCode.USAGE, "--events")


def test_init_quotes_a_vendor_yaml_would_misread(cli, tmp_path) -> None:
    root = tmp_path / "new"
    result = cli("--profiles-dir", root, "init", "--no-input", "--dir", root, "--vendor", "a'b: #c")
    assert_clean_error(result, ExitCode.OK)
    from reflekt.project import load_project

    assert load_project(root).config.vendor == "a'b: #c"


# -- nothing a user wrote is overwritten ----------------------------------------------------------


@pytest.mark.parametrize("target", ["reflekt_project.yml", "notes.json", f"schemas/{CART}"],
                         ids=["lint-output-project-file", "lint-output-user-json", "lint-output-schema"])
def test_lint_output_never_overwrites_a_user_file(cli, project, target) -> None:
    path = project / target
    if not path.exists():
        path.write_text('{"mine": true}\n', encoding="utf-8")
    before = path.read_bytes()
    result = cli("--project-dir", project, "lint", "--format", "json", "--output", path)
    assert_clean_error(result, ExitCode.USAGE, "exists and is not a lint report", "--force")
    assert path.read_bytes() == before


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_lint_output_replaces_its_own_report(cli, project, fmt) -> None:
    out = project / "lint.out"
    first = cli("--project-dir", project, "lint", "--format", fmt, "--output", out)
    assert first.code == ExitCode.OK, first.output
    for other in ("text", "json", "github", "sarif"):  # switching formats keeps working
        again = cli("--project-dir", project, "lint", "--format", other, "--output", out)
        assert again.code == ExitCode.OK, again.output


def test_lint_output_force_overwrites(cli, project) -> None:
    notes = project / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    result = cli("--project-dir", project, "lint", "--output", notes, "--force")
    assert result.code == ExitCode.OK, result.output
    assert notes.read_text().splitlines()[-1].startswith("Found 1 warning")


def test_init_never_overwrites_an_unreadable_profiles_file(cli, tmp_path) -> None:
    profiles = tmp_path / "profiles.yml"
    profiles.write_bytes(b"\xc1\xff binary")
    result = cli("--profiles-dir", profiles, "init", "--no-input", "--dir", tmp_path / "new")
    assert_clean_error(result, ExitCode.USAGE, "is not UTF-8")
    assert profiles.read_bytes() == b"\xc1\xff binary"


# -- Ctrl-C ---------------------------------------------------------------------------------------


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("target", "args"),
    [
        ("reflekt.lint.runner.lint_unit", ["lint"]),
        ("reflekt.report.run.build_report", ["report", "--output", "{root}/plan.md"]),
        ("reflekt.debug.check_schemas", ["debug"]),
        ("reflekt.selection.all_schema_ids", ["validate", "--events", "{root}/events.jsonl"]),
    ],
    ids=["ctrl-c-lint", "ctrl-c-report", "ctrl-c-debug", "ctrl-c-validate"],
)
def test_ctrl_c_exits_130_without_a_traceback(cli, project, monkeypatch, target, args) -> None:
    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(module + "." + name, _interrupt)
    (project / "events.jsonl").write_text("{}\n")
    result = cli("--project-dir", project, *[a.replace("{root}", str(project)) for a in args])
    assert_clean_error(result, ExitCode.INTERRUPTED, "interrupted")
    assert not (project / "plan.md").exists()


def test_ctrl_c_while_writing_output_leaves_the_old_report(cli, project, monkeypatch) -> None:
    out = project / "lint.json"
    assert cli("--project-dir", project, "lint", "--format", "json", "--output", out).code == ExitCode.OK
    before = out.read_bytes()
    monkeypatch.setattr(os, "fsync", _interrupt)
    result = cli("--project-dir", project, "lint", "--format", "sarif", "--output", out)
    assert_clean_error(result, ExitCode.INTERRUPTED, "interrupted")
    assert out.read_bytes() == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".lint.json")] == []  # no temp file left


# -- odd schema values reach every consumer as lint findings, not crashes -------------------------


@pytest.fixture
def demo(cli, tmp_path):
    root = tmp_path / "demo"
    result = cli("init", "--demo", "--no-input", "--dir", root)
    assert result.code == ExitCode.OK, result.output
    return root


@pytest.mark.parametrize(
    "change",
    [{"description": 5}, {"self": {"vendor": 5, "name": "Cart Viewed", "version": "1-0"}}],
    ids=["build-description-int", "build-vendor-int"],
)
def test_build_dbt_with_wrongly_typed_schema_fields(cli, demo, change) -> None:
    path = demo / "schemas/segment/ecommerce/Cart Viewed/1-0.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **change}), encoding="utf-8")
    result = cli("--project-dir", demo, "build", "dbt", "--select", "segment/ecommerce",
                 "--source", "demo.demo.ecommerce", "--sdk", "segment")
    assert_clean_error(result, ExitCode.OK, "built dbt package")
    assert_clean_error(cli("--project-dir", demo, "lint"), ExitCode.FINDINGS)


# -- the error boundary -----------------------------------------------------------------------


def test_os_error_naming_a_file_is_exit_2_with_a_hint(cli, project, monkeypatch) -> None:
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(project / "plan.md"))

    monkeypatch.setattr("reflekt.report.run.build_report", denied)
    result = cli("--project-dir", project, "report")
    assert_clean_error(result, ExitCode.USAGE, "plan.md: Permission denied", "hint: check the permissions")


def test_os_error_without_a_file_is_still_a_bug(cli, project, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise OSError("something odd")

    monkeypatch.setattr("reflekt.report.run.build_report", broken)
    result = cli("--project-dir", project, "report")
    assert result.code == ExitCode.INTERNAL and "unexpected error" in result.stderr and ".log" in result.stderr
    assert "Traceback" not in result.output
    with_debug = cli("--debug", "--project-dir", project, "report")
    assert with_debug.code == ExitCode.INTERNAL and "Traceback" in with_debug.stderr


# -- unreadable files (root reads everything, so these run only as a normal user) -----------------

not_root = pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")


@not_root
def test_unreadable_project_file(cli, project) -> None:
    (project / "reflekt_project.yml").chmod(0)
    try:
        assert_clean_error(cli("--project-dir", project, "lint"), ExitCode.USAGE, "cannot read reflekt_project.yml")
    finally:
        (project / "reflekt_project.yml").chmod(0o644)


@not_root
def test_unreadable_schema_is_a_finding(cli, project) -> None:
    path = project / "schemas" / CART
    path.chmod(0)
    try:
        assert_clean_error(cli("--project-dir", project, "lint"), ExitCode.FINDINGS, "cannot read schema")
        assert_clean_error(cli("--project-dir", project, "report"), ExitCode.USAGE, "cannot read schema")
    finally:
        path.chmod(0o644)


@not_root
def test_read_only_output_folder(cli, project) -> None:
    folder = project / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = cli("--project-dir", project, "lint", "--output", folder / "lint.txt")
        assert_clean_error(result, ExitCode.USAGE, "cannot write --output")
        result = cli("--project-dir", project, "report", "--output", folder / "plan.md")
        assert_clean_error(result, ExitCode.USAGE, "cannot write --output")
    finally:
        folder.chmod(0o755)


# -- init never edits a file that is not a profiles file ------------------------------------------


def test_init_refuses_to_append_a_profile_to_another_yaml_file(cli, tmp_path) -> None:
    compose = tmp_path / "docker-compose.yml"
    compose.write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    before = compose.read_bytes()
    result = cli("--profiles-dir", compose, "init", "--no-input", "--dir", tmp_path / "new")
    assert_clean_error(result, ExitCode.USAGE, "docker-compose.yml:1:1: this is not a reflekt_profiles.yml")
    assert compose.read_bytes() == before
    assert not (tmp_path / "new").exists()  # checked before anything is written


def test_init_refuses_the_project_file_as_profiles_file(cli, tmp_path) -> None:
    root = tmp_path / "new"
    result = cli("--profiles-dir", root / "reflekt_project.yml", "init", "--no-input", "--dir", root)
    assert_clean_error(result, ExitCode.USAGE, "the profiles file cannot be reflekt_project.yml")
    assert not root.exists()


# -- `~nosuchuser/...` paths ----------------------------------------------------------------------

NO_USER = "~nosuchuser_reflekt"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--profiles-dir", f"{NO_USER}/x", "debug"], "--profiles-dir"),
        (["--project-dir", NO_USER, "lint"], "--project-dir"),
        (["init", "--no-input", "--dir", f"{NO_USER}/x"], "--dir"),
        (["--profiles-dir", f"{NO_USER}/p", "init", "--no-input", "--dir", "{root}/new"], "--profiles-path"),
    ],
    ids=["tilde-user-profiles-dir", "tilde-user-project-dir", "tilde-user-init-dir", "tilde-user-init-profiles"],
)
def test_unknown_user_in_a_path_option(cli, project, args, expected) -> None:
    args = [a.replace("{root}", str(project)) for a in args]
    if "--project-dir" not in args:
        args = ["--project-dir", str(project), *args]
    assert_clean_error(cli(*args), ExitCode.USAGE, expected, "cannot expand '~nosuchuser_reflekt' (no such user)")


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("reflekt_project.yml", PROJECT_BASE + f"profiles_path: {NO_USER}/p.yml\n", "reflekt_project.yml:5:16"),
        ("reflekt_profiles.yml", f"dev:\n  source:\n  - {{type: duckdb, path: '{NO_USER}/x.duckdb'}}\n",
         "reflekt_profiles.yml:3:26: invalid value for 'dev.source.0.path'"),
        ("reflekt_profiles.yml", f"dev:\n  registry:\n  - {{type: iglu, url: '{NO_USER}/registry'}}\n",
         "reflekt_profiles.yml:3:23: invalid value for 'dev.registry.0.url'"),
    ],
    ids=["tilde-user-profiles-path", "tilde-user-duckdb-path", "tilde-user-iglu-folder"],
)
def test_unknown_user_in_a_config_path(cli, project, file, text, expected) -> None:
    (project / file).write_text(text, encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, "debug"), ExitCode.USAGE, expected, "no such user")


# -- absurdly nested input is bad input, not a crash ---------------------------------------------


def test_deeply_nested_payload_is_a_bad_line(cli, project) -> None:
    events = project / "events.jsonl"
    events.write_text('{"type": "track", "event": "Cart Viewed", "properties": '
                      + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}\n", encoding="utf-8")
    result = cli("--project-dir", project, "validate", "--events", events)
    assert_clean_error(result, ExitCode.FINDINGS, "bad line")


def test_pull_of_a_deeply_nested_iglu_schema(cli, project) -> None:
    folder = project / "registry/schemas/com.acme/evt/jsonschema"
    folder.mkdir(parents=True)
    (folder / "1-0-0").write_text('{"a":' * 10_000 + "1" + "}" * 10_000, encoding="utf-8")
    (project / "reflekt_profiles.yml").write_text("dev:\n  registry:\n  - {type: iglu, url: registry}\n")
    result = cli("--project-dir", project, "pull", "--select", "iglu/com.acme")
    assert_clean_error(result, ExitCode.USAGE, "1-0-0")


@pytest.mark.parametrize("when", ["writing-the-profile", "writing-the-readme"])
def test_ctrl_c_during_init_leaves_nothing_behind(cli, tmp_path, monkeypatch, when) -> None:
    from reflekt.init import scaffold

    if when == "writing-the-profile":
        monkeypatch.setattr(scaffold, "write_profile", _interrupt)
    else:
        monkeypatch.setattr(scaffold.templates, "readme", _interrupt)
    parent = tmp_path / "work"
    parent.mkdir()
    result = cli("--profiles-dir", parent / "profiles" / "p.yml", "init", "--no-input", "--dir", parent / "new")
    assert_clean_error(result, ExitCode.INTERRUPTED, "interrupted")
    assert list(parent.iterdir()) == []


def test_failed_init_keeps_what_the_user_had(cli, tmp_path, monkeypatch) -> None:
    from reflekt.init import scaffold

    root = tmp_path / "existing"
    (root / "schemas" / "mine").mkdir(parents=True)
    (root / "schemas" / "mine" / "x.json").write_text("{}")
    (root / "README.md").write_text("my readme")
    monkeypatch.setattr(scaffold, "write_profile", _interrupt)
    result = cli("--profiles-dir", root, "init", "--no-input", "--dir", root)
    assert result.code == ExitCode.INTERRUPTED
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "README.md", "schemas", "schemas/mine", "schemas/mine/x.json"]
    assert (root / "README.md").read_text() == "my readme"


@pytest.mark.parametrize("option", ["--project-dir", "--profile", "--profiles-dir"])
def test_global_option_without_a_value_after_the_command(cli, project, option) -> None:
    result = cli("lint", option)
    assert_clean_error(result, ExitCode.USAGE, f"option {option} needs a value")
    assert "Missing command" not in result.output


def test_secret_with_braces_from_env_is_data_not_a_template(cli, project, monkeypatch) -> None:
    monkeypatch.setenv("REFLEKT_TEST_TOKEN", "tok{{en}}12345")
    (project / "reflekt_profiles.yml").write_text(
        "dev:\n  registry:\n  - type: segment\n    api_token: \"{{ env_var('REFLEKT_TEST_TOKEN') }}\"\n"
        "    url: http://127.0.0.1:1\n", encoding="utf-8")
    result = cli("--project-dir", project, "debug")
    assert_clean_error(result, ExitCode.USAGE, "registry segment")  # the row fails: nothing listens on port 1
    assert "unsupported template" not in result.output
    assert "{{en}}" not in result.output and "tok{{" not in result.output


def test_ctrl_c_during_build_keeps_the_previous_package(cli, demo, monkeypatch) -> None:
    from reflekt.builders.dbt import package

    args = ("--project-dir", demo, "build", "dbt", "--select", "segment/ecommerce",
            "--source", "demo.demo.ecommerce", "--sdk", "segment")
    assert cli(*args).code == ExitCode.OK
    target = demo / "artifacts" / "dbt"
    before = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    real_write = package._write_files

    def write_some_then_interrupt(folder, files):
        real_write(folder, dict(list(files.items())[:1]))
        raise KeyboardInterrupt

    monkeypatch.setattr(package, "_write_files", write_some_then_interrupt)
    result = cli(*args)
    assert_clean_error(result, ExitCode.INTERRUPTED, "interrupted")
    after = {p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in (demo / ".reflekt_cache").rglob("*.tmp")]  # no staging folder left behind


def test_absolute_select_inside_schemas_is_accepted(cli, project) -> None:
    result = cli("--project-dir", project, "lint", "--select", project / "schemas" / "shop")
    assert_clean_error(result, ExitCode.OK, "1 of 1 schema")
    outside = cli("--project-dir", project, "lint", "--select", project / "reflekt_project.yml")
    assert_clean_error(outside, ExitCode.USAGE, "points outside schemas/")


def test_control_characters_in_a_profile_name_are_escaped(cli, project) -> None:
    result = cli("--project-dir", project, "--profile", "a\x1b[31mb", "debug")
    assert_clean_error(result, ExitCode.USAGE, "profile 'a\\x1b[31mb' not found")
    assert "\x1b" not in result.output


def _iglu_folder_registry(project: Path) -> None:
    folder = project / "registry/schemas/com.acme/evt/jsonschema"
    folder.mkdir(parents=True)
    (folder / "1-0-0").write_text(json.dumps({
        "$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
        "self": {"vendor": "com.acme", "name": "evt", "format": "jsonschema", "version": "1-0-0"},
        "type": "object", "properties": {}}), encoding="utf-8")
    (project / "reflekt_profiles.yml").write_text("dev:\n  registry:\n  - {type: iglu, url: registry}\n")


def test_pull_onto_a_folder_named_like_the_schema(cli, project) -> None:
    _iglu_folder_registry(project)
    (project / "schemas/iglu/com.acme/evt/1-0.json").mkdir(parents=True)
    result = cli("--project-dir", project, "pull", "--select", "iglu/com.acme")
    assert_clean_error(result, ExitCode.USAGE, "evt/1-0.json: Is a directory")


def test_pull_over_a_local_file_that_is_not_utf8(cli, project) -> None:
    _iglu_folder_registry(project)
    local = project / "schemas/iglu/com.acme/evt/1-0.json"
    local.parent.mkdir(parents=True)
    local.write_bytes(b'{"description": "caf\xe9"}')
    result = cli("--project-dir", project, "pull", "--select", "iglu/com.acme")
    assert_clean_error(result, ExitCode.OK, "changed")
    assert local.read_text(encoding="utf-8").startswith("{")


# -- found in the final review ------------------------------------------------------------------


@pytest.mark.parametrize("command", [["lint"], ["report", "--format", "markdown"]], ids=["lint", "report"])
def test_lone_surrogate_escape_is_a_positioned_error(cli, project, command) -> None:
    (project / "schemas" / CART).write_text('{\n  "properties": {"a\\ud800b": {}}\n}', encoding="utf-8")
    result = cli("--project-dir", project, *command)
    expected = ExitCode.FINDINGS if command == ["lint"] else ExitCode.USAGE
    assert_clean_error(result, expected, "2:20", "surrogate")


def test_report_of_schemas_with_odd_required_entries(cli, project) -> None:
    schema = event_schema(CART)
    schema["required"] = [{"x": 1}, ["y"], "product_id"]
    (project / "schemas" / CART).write_text(json.dumps(schema), encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, "report", "--format", "markdown"), ExitCode.OK)


def test_lint_output_over_a_malformed_sarif_like_file_is_refused_not_a_crash(cli, project) -> None:
    out = project / "lint.sarif"
    out.write_text('{"runs": [{"tool": []}]}', encoding="utf-8")
    result = cli("--project-dir", project, "lint", "--format", "sarif", "--output", out)
    assert_clean_error(result, ExitCode.USAGE, "--force")
    assert out.read_text(encoding="utf-8") == '{"runs": [{"tool": []}]}'


@pytest.mark.parametrize("value", ["2024-13-45", "!!float abc", "!!int abc", "!!timestamp x", "1" * 5000],
                         ids=["bad-date", "bad-float", "bad-int", "bad-timestamp", "huge-int"])
def test_yaml_values_that_cannot_be_built_are_config_errors(cli, project, value) -> None:
    text = (project / "reflekt_project.yml").read_text(encoding="utf-8")
    (project / "reflekt_project.yml").write_text(text.replace("vendor: com.example", f"vendor: {value}"),
                                                  encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, "lint"), ExitCode.USAGE, "reflekt_project.yml:3:9", "quote")


def test_schema_with_a_5000_digit_number_is_a_finding(cli, project) -> None:
    (project / "schemas" / CART).write_text('{"maxLength": ' + "1" * 5000 + "}", encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, "lint"), ExitCode.FINDINGS, "PA01")


def test_dotenv_value_with_a_nul_byte(cli, project) -> None:
    (project / ".env").write_text("A=x\0y\n", encoding="utf-8")
    assert_clean_error(cli("--project-dir", project, "lint"), ExitCode.USAGE, ".env:1:1", "NUL")


def test_init_demo_force_keeps_edited_demo_schemas(cli, tmp_path) -> None:
    root = tmp_path / "demo"
    assert cli("init", "--demo", "--no-input", "--dir", root).code == ExitCode.OK
    edited = root / "schemas/segment/ecommerce/Cart Viewed/1-0.json"
    edited.write_text('{"mine": true}\n', encoding="utf-8")
    result = cli("init", "--demo", "--no-input", "--dir", root, "--force")
    assert_clean_error(result, ExitCode.OK, "kept 10 existing")
    assert edited.read_text(encoding="utf-8") == '{"mine": true}\n'


def test_lint_output_to_a_device_or_pipe_is_refused_not_a_hang(cli, project, tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/null")):
        result = cli("--project-dir", project, "lint", "--output", target)
        assert_clean_error(result, ExitCode.USAGE, "not a regular file")


@pytest.mark.parametrize(
    "existing,profile",
    [
        ("{dev: {source: []}, prod: {source: []}}\n", "dev"),
        ("{dev: {source: []}, prod: {source: []}}\n", "new"),
        ("base: &b\n  source: []\ndev:\n  <<: *b\n", "base"),
    ],
    ids=["flow-replace", "flow-append", "alias-replace"],
)
def test_init_never_loses_other_profiles(cli, tmp_path, existing, profile) -> None:
    profiles = tmp_path / "profiles.yml"
    profiles.write_text(existing, encoding="utf-8")
    result = cli("--profiles-dir", profiles, "init", "--no-input", "--dir", tmp_path / "new",
                 "--profile-name", profile, "--force")
    assert_clean_error(result, ExitCode.USAGE, "other profiles")
    assert profiles.read_text(encoding="utf-8") == existing


def test_a_new_profiles_file_is_private(cli, tmp_path) -> None:
    profiles = tmp_path / "p" / "reflekt_profiles.yml"
    assert cli("--profiles-dir", profiles, "init", "--no-input", "--dir", tmp_path / "new").code == ExitCode.OK
    assert profiles.stat().st_mode & 0o777 == 0o600


def test_init_refuses_answers_the_profiles_loader_would_reject(cli, tmp_path) -> None:
    result = cli("--profiles-dir", tmp_path / "p.yml", "init", "--no-input", "--dir", tmp_path / "new",
                 "--registry", "segment", "--segment-region", "xx")
    assert_clean_error(result, ExitCode.USAGE, "region", "'xx'")
    assert not (tmp_path / "new").exists() and not (tmp_path / "p.yml").exists()
