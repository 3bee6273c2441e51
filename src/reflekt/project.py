"""Find the project root and load + validate reflekt_project.yml."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from reflekt.errors import ConfigError
from reflekt.fsutil import expand_home
from reflekt.validation import validate_document
from reflekt.yamlfile import YamlDocument, load_yaml

PROJECT_FILE = "reflekt_project.yml"
DEFAULT_PROFILES_PATH = "~/.reflekt/reflekt_profiles.yml"
DEFAULT_DATA_TYPES = ["string", "integer", "number", "boolean", "object", "array", "any", "null"]
META_SCHEMA_PATHS = (".reflekt/meta/1-0.json", ".reflekt/event-meta/1-0.json")  # both seed forms

Casing = Literal["title", "snake", "camel", "pascal", "any"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class NameConvention(_Strict):
    casing: Casing = "any"
    numbers: bool = False
    reserved: list[str] = Field(default_factory=list)
    # Reflekt 0.3 had `capitalize_camel`; accepted so pasted configs work. `pascal` replaces it.
    capitalize_camel: bool | None = None

    @model_validator(mode="after")
    def _camel_capitalized_is_pascal(self) -> NameConvention:
        if self.casing == "camel" and self.capitalize_camel:
            self.casing = "pascal"  # 0.3: `casing: camel` + `capitalize_camel: true` meant PascalCase
        return self


class EventConvention(NameConvention):
    casing: Casing = "title"  # also when `event:` is given without `casing:`


class PropertyConvention(NameConvention):
    casing: Casing = "snake"


class Conventions(_Strict):
    event: EventConvention = Field(default_factory=EventConvention)
    property: PropertyConvention = Field(default_factory=PropertyConvention)
    data_types: list[str] = Field(default_factory=lambda: list(DEFAULT_DATA_TYPES))

    @field_validator("data_types")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t not in DEFAULT_DATA_TYPES]
        if unknown:
            raise ValueError(f"unknown data type(s) {unknown}; allowed: {', '.join(DEFAULT_DATA_TYPES)}")
        return value


class SchemasConfig(_Strict):
    conventions: Conventions = Field(default_factory=Conventions)
    # major-minor: MAJOR-MINOR (1-0, 2-1); schemaver: Snowplow MODEL-REVISION-ADDITION (1-0-2)
    versioning: Literal["major-minor", "schemaver"] = "major-minor"


class AvoRegistryConfig(_Strict):
    branches: dict[str, str] = Field(default_factory=lambda: {"main": "main"})


class RegistryConfig(_Strict):
    avo: AvoRegistryConfig = Field(default_factory=AvoRegistryConfig)


class DbtSources(_Strict):
    prefix: str = "__src_"


class DbtModels(_Strict):
    prefix: str = "stg_"
    filter: str | None = None  # a SQL WHERE clause applied to every staging model
    materialized: Literal["view", "table", "incremental", "ephemeral"] = "view"
    union_versions: bool = False  # also build one model that unions all versions of an event


class DbtDocs(_Strict):
    prefix: str = "_stg_"
    in_folder: bool = False
    tests: dict[str, list[str]] = Field(default_factory=dict)
    schema_tests: bool = False  # required -> not_null, enum -> accepted_values


class DbtArtifacts(_Strict):
    sources: DbtSources = Field(default_factory=DbtSources)
    models: DbtModels = Field(default_factory=DbtModels)
    docs: DbtDocs = Field(default_factory=DbtDocs)


class ArtifactsConfig(_Strict):
    dbt: DbtArtifacts = Field(default_factory=DbtArtifacts)


class ProjectConfig(_Strict):
    version: float | str = 1.0
    name: str
    vendor: str
    default_profile: str = "default"
    profiles_path: str | None = None
    schemas: SchemasConfig = Field(default_factory=SchemasConfig)
    registry: RegistryConfig = Field(default_factory=RegistryConfig)
    artifacts: ArtifactsConfig = Field(default_factory=ArtifactsConfig)
    # Validated by the lint engine (per-rule enable/severity/options), which reports its own positions.
    lint: dict[str, Any] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _dbt_safe_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError(
                f"project name {value!r} must be letters, digits and underscores, not starting with a digit "
                "(it names the dbt package)"
            )
        return value

    @field_validator("vendor", "default_profile")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class Project:
    """A loaded project: its root, its validated config and the YAML positions for later errors."""

    def __init__(self, root: Path, config: ProjectConfig, doc: YamlDocument) -> None:
        self.root = root
        self.config = config
        self.doc = doc

    @property
    def path(self) -> Path:
        return self.root / PROJECT_FILE

    @property
    def schemas_dir(self) -> Path:
        return self.root / "schemas"

    @property
    def logs_dir(self) -> Path:
        return self.root / ".logs"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".reflekt_cache"

    @property
    def artifacts_dir(self) -> Path:
        return self.root / "artifacts"

    @cached_property
    def meta_schema_path(self) -> Path:
        for rel in META_SCHEMA_PATHS:
            candidate = self.schemas_dir / rel
            if _is_file(candidate):
                return candidate
        return self.schemas_dir / META_SCHEMA_PATHS[0]

    def profiles_candidates(self) -> list[Path]:
        """Where profiles are looked for, first match wins (explicit CLI paths are handled by the caller)."""
        candidates = []
        if self.config.profiles_path:
            try:
                configured = expand_home(self.config.profiles_path, what="profiles_path", config=True)
            except ConfigError as exc:
                exc.path = self.path
                exc.line, exc.col = self.doc.value_position(("profiles_path",)) or (None, None)
                raise
            candidates.append(configured if configured.is_absolute() else self.root / configured)
            return candidates
        candidates.append(self.root / "reflekt_profiles.yml")
        candidates.append(Path(DEFAULT_PROFILES_PATH).expanduser())
        return candidates


def find_project_root(start: Path) -> Path | None:
    """Search upward from `start` for reflekt_project.yml; a git repo is not required."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if _is_file(folder / PROJECT_FILE):
            return folder
    return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the OS cannot be a project file either
        return False


def load_project(project_dir: Path | None = None) -> Project:
    if project_dir is not None:
        root = expand_home(project_dir, what="--project-dir").resolve()
        if _is_file(root):
            raise ConfigError(
                f"--project-dir {root} is a file, not a folder",
                hint="pass the folder that holds reflekt_project.yml",
            )
        if (root / PROJECT_FILE).is_dir():
            raise ConfigError(f"{PROJECT_FILE} is a folder, not a file", hint="move the folder away",
                              path=root / PROJECT_FILE)
        if not _is_file(root / PROJECT_FILE):
            raise ConfigError(
                f"no {PROJECT_FILE} in {root}",
                hint="pass the folder that holds reflekt_project.yml, or run `reflekt init` there",
            )
    else:
        found = find_project_root(Path.cwd())
        if found is None:
            raise ConfigError(
                f"no {PROJECT_FILE} found in {Path.cwd()} or any parent folder",
                hint="run inside a Reflekt project, pass --project-dir, or create one with `reflekt init`",
            )
        root = found
    doc = load_yaml(root / PROJECT_FILE, what=PROJECT_FILE)
    if not isinstance(doc.data, dict):
        raise ConfigError(
            f"{PROJECT_FILE} must be a mapping of keys to values",
            hint="start from the example in the README",
            path=doc.path,
            line=1,
        )
    config = validate_document(ProjectConfig, doc, doc.data, what=PROJECT_FILE)
    return Project(root, config, doc)
