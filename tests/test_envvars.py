"""env_var() interpolation and the project's .env file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reflekt.envvars import interpolate, load_dotenv
from reflekt.errors import ConfigError
from reflekt.yamlfile import parse_yaml


def _doc(text: str, tmp_path: Path):
    return parse_yaml(text, tmp_path / "reflekt_profiles.yml")


def test_reference_default_and_surrounding_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLEKT_T_USER", "ada")
    monkeypatch.delenv("REFLEKT_T_HOST", raising=False)
    doc = _doc("a: \"{{ env_var('REFLEKT_T_USER') }}@{{env_var(\\\"REFLEKT_T_HOST\\\", 'db')}}\"\nb: 5\n", tmp_path)
    assert interpolate(doc.data, doc) == {"a": "ada@db", "b": 5}


def test_missing_variable_names_itself_the_file_and_the_position(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("REFLEKT_T_MISSING", raising=False)
    doc = _doc("dev:\n  token: \"{{ env_var('REFLEKT_T_MISSING') }}\"\n", tmp_path)
    with pytest.raises(ConfigError) as exc:
        interpolate(doc.data, doc)
    assert str(exc.value).endswith("reflekt_profiles.yml:2:10: environment variable 'REFLEKT_T_MISSING' is not set")
    assert "env_var('REFLEKT_T_MISSING', 'default')" in exc.value.hint


def test_dotenv_parses_export_quotes_comments_and_never_overrides(tmp_path: Path, monkeypatch) -> None:
    for key in ("REFLEKT_T_A", "REFLEKT_T_B", "REFLEKT_T_C", "REFLEKT_T_D"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("REFLEKT_T_D", "from-shell")
    env = tmp_path / ".env"
    env.write_text(
        "# comment\n\nexport REFLEKT_T_A=1\nREFLEKT_T_B='two words'\n"
        "REFLEKT_T_C=three # trailing comment\nREFLEKT_T_D=from-file\n",
        encoding="utf-8",
    )
    values = load_dotenv(env)
    assert values["REFLEKT_T_B"] == "two words"
    assert [os.environ[k] for k in ("REFLEKT_T_A", "REFLEKT_T_B", "REFLEKT_T_C", "REFLEKT_T_D")] == [
        "1", "two words", "three", "from-shell"
    ]


def test_missing_dotenv_is_fine(tmp_path: Path) -> None:
    assert load_dotenv(tmp_path / ".env") == {}


def test_project_dotenv_feeds_profiles_through_the_cli(cli, tmp_path: Path, monkeypatch) -> None:
    import duckdb

    monkeypatch.delenv("REFLEKT_T_DB", raising=False)
    root = tmp_path / "p"
    root.mkdir()
    duckdb.connect(str(root / "wh.duckdb")).close()
    (root / "reflekt_project.yml").write_text("name: shop\nvendor: com.example\ndefault_profile: dev\n")
    (root / "reflekt_profiles.yml").write_text(
        "dev:\n  source:\n    - {id: wh, type: duckdb, path: \"{{ env_var('REFLEKT_T_DB') }}\"}\n"
    )
    (root / ".env").write_text("REFLEKT_T_DB=wh.duckdb\n")
    (root / "schemas" / ".reflekt" / "meta").mkdir(parents=True)
    from reflekt.init.templates import meta_schema_text

    (root / "schemas" / ".reflekt" / "meta" / "1-0.json").write_text(meta_schema_text())
    result = cli("--project-dir", root, "debug")
    assert result.code == 0, result.output
    assert "source wh (duckdb)  ok" in result.stdout
