"""reflekt_profiles.yml: seed profiles load, env_var() secrets, ids, relative paths, SecretStr."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reflekt.errors import ConfigError
from reflekt.profiles import load_profiles

SEEDS = Path(__file__).parent / "config_cases" / "seeds"


@pytest.mark.parametrize("variant", ["readme", "pkginfo"])
def test_reflekt_0_3_profiles_load_verbatim(variant: str, tmp_path: Path) -> None:
    path = tmp_path / "reflekt_profiles.yml"
    shutil.copy(SEEDS / f"{variant}_reflekt_profiles.yml", path)
    profile = load_profiles(path).get("dev_reflekt").profile
    assert [r.type for r in profile.registry] == ["segment", "avo"]
    assert [(s.id, s.type) for s in profile.source] == [("snowflake", "snowflake"), ("redshift", "redshift")]
    assert profile.registry[0].api_token.get_secret_value() == "segment_api_token"
    assert profile.source[1].port == 5439
    assert "reflekt_user_password" not in repr(profile)  # SecretStr keeps passwords out of reprs


def test_env_var_references_and_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLEKT_TEST_PG_PASSWORD", "pg-secret-value")
    monkeypatch.delenv("REFLEKT_TEST_PG_HOST", raising=False)
    path = tmp_path / "reflekt_profiles.yml"
    path.write_text(
        "dev:\n  source:\n    - type: postgres\n"
        "      host: \"{{ env_var('REFLEKT_TEST_PG_HOST', '127.0.0.1') }}\"\n"
        "      database: raw\n      user: reflekt\n"
        "      password: \"{{ env_var('REFLEKT_TEST_PG_PASSWORD') }}\"\n",
        encoding="utf-8",
    )
    source = load_profiles(path).get("dev").source("postgres")
    assert source.host == "127.0.0.1"
    assert source.password.get_secret_value() == "pg-secret-value"


def test_relative_duckdb_path_resolves_from_the_project_folder(tmp_path: Path) -> None:
    (tmp_path / "reflekt_project.yml").write_text("name: shop\nvendor: com.example\n", encoding="utf-8")
    path = tmp_path / "reflekt_profiles.yml"
    path.write_text("dev:\n  source:\n    - {id: wh, type: duckdb, path: data/x.duckdb}\n", encoding="utf-8")
    assert load_profiles(path).get("dev").source("wh").path == str(tmp_path / "data" / "x.duckdb")
    other = tmp_path / "elsewhere"
    assert load_profiles(path, project_root=other).get("dev").source("wh").path == str(other / "data" / "x.duckdb")


def test_absolute_and_memory_paths_are_kept(tmp_path: Path) -> None:
    (tmp_path / "reflekt_project.yml").write_text("name: shop\nvendor: com.example\n", encoding="utf-8")
    path = tmp_path / "reflekt_profiles.yml"
    path.write_text(
        "dev:\n  source:\n    - {id: a, type: duckdb, path: /abs/x.duckdb}\n"
        "    - {id: m, type: duckdb, path: ':memory:'}\n",
        encoding="utf-8",
    )
    loaded = load_profiles(path).get("dev")
    assert (loaded.source("a").path, loaded.source("m").path) == ("/abs/x.duckdb", ":memory:")


def test_unknown_profile_and_source_list_what_exists(tmp_path: Path) -> None:
    path = tmp_path / "reflekt_profiles.yml"
    path.write_text("dev:\n  source:\n    - {id: wh, type: duckdb, path: x.duckdb}\nprod: {}\n", encoding="utf-8")
    profiles = load_profiles(path)
    with pytest.raises(ConfigError) as exc:
        profiles.get("staging")
    assert exc.value.hint.startswith("known profiles: dev, prod")
    with pytest.raises(ConfigError) as exc:
        profiles.get("dev").source("nope")
    assert exc.value.hint == "known source ids: wh"
