"""reflekt_project.yml: seed configs load verbatim, missing sections get documented defaults."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reflekt.errors import ConfigError
from reflekt.project import DEFAULT_DATA_TYPES, find_project_root, load_project

SEEDS = Path(__file__).parent / "config_cases" / "seeds"


@pytest.mark.parametrize("variant", ["readme", "pkginfo"])
def test_reflekt_0_3_project_files_load_verbatim(variant: str, tmp_path: Path) -> None:
    shutil.copy(SEEDS / f"{variant}_reflekt_project.yml", tmp_path / "reflekt_project.yml")
    config = load_project(tmp_path).config
    assert (config.name, config.vendor, config.default_profile) == ("reflekt_demo", "com.company_name", "dev_reflekt")
    assert config.schemas.conventions.event.casing == "title"
    assert config.schemas.conventions.property.casing == "snake"
    assert config.schemas.conventions.data_types == DEFAULT_DATA_TYPES
    assert config.registry.avo.branches == {"staging": "AbC12dEfG", "main": "main"}
    dbt = config.artifacts.dbt
    assert (dbt.sources.prefix, dbt.models.prefix, dbt.docs.prefix, dbt.docs.in_folder) == (
        "__src_", "stg_", "_stg_", False
    )
    assert dbt.docs.tests == {"id": ["unique", "not_null"]}


def test_pkginfo_variant_keeps_capitalize_camel(tmp_path: Path) -> None:
    shutil.copy(SEEDS / "pkginfo_reflekt_project.yml", tmp_path / "reflekt_project.yml")
    assert load_project(tmp_path).config.schemas.conventions.event.capitalize_camel is True


def test_minimal_project_gets_documented_defaults(tmp_path: Path) -> None:
    (tmp_path / "reflekt_project.yml").write_text("name: shop\nvendor: com.example\n", encoding="utf-8")
    project = load_project(tmp_path)
    config = project.config
    assert config.default_profile == "default"
    assert config.profiles_path is None
    assert config.schemas.versioning == "major-minor"
    assert config.schemas.conventions.event.casing == "title"
    assert config.schemas.conventions.property.casing == "snake"
    assert config.schemas.conventions.event.numbers is False
    assert config.registry.avo.branches == {"main": "main"}
    assert config.artifacts.dbt.models.prefix == "stg_" and config.artifacts.dbt.models.filter is None
    assert config.artifacts.dbt.docs.tests == {}
    # profiles: next to the project first, then ~/.reflekt
    assert project.profiles_candidates() == [
        tmp_path.resolve() / "reflekt_profiles.yml",
        Path("~/.reflekt/reflekt_profiles.yml").expanduser(),
    ]


def test_configured_profiles_path_is_relative_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "reflekt_project.yml").write_text(
        "name: shop\nvendor: com.example\nprofiles_path: config/profiles.yml\n", encoding="utf-8"
    )
    assert load_project(tmp_path).profiles_candidates() == [tmp_path.resolve() / "config" / "profiles.yml"]


@pytest.mark.parametrize("rel", [".reflekt/meta/1-0.json", ".reflekt/event-meta/1-0.json"])
def test_both_seed_meta_schema_locations_are_found(rel: str, tmp_path: Path) -> None:
    (tmp_path / "reflekt_project.yml").write_text("name: shop\nvendor: com.example\n", encoding="utf-8")
    meta = tmp_path / "schemas" / rel
    meta.parent.mkdir(parents=True)
    meta.write_text("{}", encoding="utf-8")
    assert load_project(tmp_path).meta_schema_path == meta.resolve()


def test_project_root_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "reflekt_project.yml").write_text("name: shop\nvendor: com.example\n", encoding="utf-8")
    deep = tmp_path / "schemas" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_project_root(deep) == tmp_path.resolve()


def test_missing_project_file_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no reflekt_project.yml in"):
        load_project(tmp_path)


def test_partial_convention_sections_keep_the_default_casing(tmp_path: Path) -> None:
    (tmp_path / "reflekt_project.yml").write_text(
        "name: shop\nvendor: com.example\nschemas:\n  conventions:\n    event: {numbers: true}\n"
        "    property: {reserved: [id]}\n",
        encoding="utf-8",
    )
    conventions = load_project(tmp_path).config.schemas.conventions
    assert (conventions.event.casing, conventions.event.numbers) == ("title", True)
    assert (conventions.property.casing, conventions.property.reserved) == ("snake", ["id"])


def test_reflekt_0_3_capitalized_camel_means_pascal(tmp_path: Path) -> None:
    (tmp_path / "reflekt_project.yml").write_text(
        "name: shop\nvendor: com.example\nschemas:\n  conventions:\n"
        "    event: {casing: camel, capitalize_camel: true}\n    property: {casing: camel, capitalize_camel: false}\n",
        encoding="utf-8",
    )
    conventions = load_project(tmp_path).config.schemas.conventions
    assert (conventions.event.casing, conventions.property.casing) == ("pascal", "camel")
