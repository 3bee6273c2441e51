"""The `lint:` section of reflekt_project.yml: defaults, shorthands, and positioned errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflekt.errors import ConfigError
from reflekt.lint.config import load_lint_settings
from reflekt.lint.rule import Severity
from reflekt.project import load_project

HEAD = "version: 1.0\nname: p\nvendor: com.example\n"


def settings_for(tmp_path: Path, lint_yaml: str):
    (tmp_path / "reflekt_project.yml").write_text(HEAD + lint_yaml, encoding="utf-8")
    return load_lint_settings(load_project(tmp_path))


def test_defaults(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, "")
    assert settings.rules["NM01"].enabled and settings.rules["NM01"].severity is Severity.ERROR
    assert settings.rules["TY05"].severity is Severity.WARNING
    assert settings.rules["TY06"].severity is Severity.INFO
    assert settings.ignore == []


def test_codes_names_and_shorthands(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, """\
lint:
  rules:
    property-name-casing: {severity: warning, allowed_words: [iOS]}
    ty05: false
    TY06: error
  ignore:
    "legacy/**": [NM02, event-name-casing]
""")
    assert settings.rules["NM02"].severity is Severity.WARNING
    assert settings.rules["NM02"].options == {"allowed_words": ["iOS"]}
    assert settings.rules["TY05"].enabled is False
    assert settings.rules["TY06"].severity is Severity.ERROR
    assert settings.ignore == [("legacy/**", frozenset({"NM02", "NM01"}))]


@pytest.mark.parametrize(
    "lint_yaml, message, line, col",
    [
        ("lint:\n  rulez: {}\n", "lint: unknown key 'rulez'", 5, 3),
        ("lint:\n  rules:\n    NM99: false\n", "lint: unknown rule 'NM99'", 6, 5),
        ("lint:\n  rules:\n    NM01:\n      casing: snake\n", "lint: unknown key 'casing' for rule NM01", 7, 7),
        ("lint:\n  rules:\n    NM01: {severity: fatal}\n", "lint: unknown severity 'fatal'", 6, 12),
        ("lint:\n  rules:\n    NM01: {allowed_words: iOS}\n", "NM01.allowed_words must be a list", 6, 12),
        ("lint:\n  ignore:\n    legacy: [XX01]\n", "unknown rule 'XX01' in ignore 'legacy'", 6, 14),
        ("lint:\n  rules:\n    invalid-json: false\n", "rule PA01 (invalid-json) cannot be configured", 6, 5),
    ],
)
def test_errors_name_key_file_and_position(tmp_path: Path, lint_yaml: str, message: str, line: int, col: int) -> None:
    with pytest.raises(ConfigError) as info:
        settings_for(tmp_path, lint_yaml)
    error = info.value
    assert message in error.message
    assert Path(error.path).name == "reflekt_project.yml"
    assert (error.line, error.col) == (line, col)
    assert error.hint


def test_lint_section_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        settings_for(tmp_path, "lint: [NM01]\n")
    assert "'lint'" in info.value.message and info.value.line == 4
