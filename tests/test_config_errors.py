"""Every malformed config variant in config_cases/malformed.yml fails `reflekt debug` with
`file:line:col: message`, a hint, and exit code 2 — never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reflekt.errors import ExitCode

CASES = yaml.safe_load((Path(__file__).parent / "config_cases" / "malformed.yml").read_text(encoding="utf-8"))

VALID_PROJECT = """\
name: shop
vendor: com.example
default_profile: dev
"""
VALID_PROFILES = """\
version: 1.0
dev:
  source:
    - id: wh
      type: duckdb
      path: missing-on-purpose.duckdb
"""


def test_there_are_at_least_30_malformed_variants() -> None:
    assert len(CASES) >= 30
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_malformed_config_is_a_precise_error(case: dict, cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("REFLEKT_TEST_UNSET_TOKEN", raising=False)
    root = tmp_path / "project"
    root.mkdir()
    files = {"reflekt_project.yml": VALID_PROJECT, "reflekt_profiles.yml": VALID_PROFILES}
    files[case["file"]] = case["text"]
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")

    result = cli("--project-dir", root, "debug")

    assert result.code == ExitCode.USAGE, result.output
    assert "Traceback" not in result.output
    error_line = result.stderr.splitlines()[0]
    where = f"{(root / case['file']).resolve()}:{case['at']}: " if case["at"] else "error: "
    assert f"{where}{case['message']}" in error_line, result.stderr
    hint_lines = [line for line in result.stderr.splitlines() if line.strip().startswith("hint:")]
    assert hint_lines and case["hint"] in hint_lines[0], result.stderr
