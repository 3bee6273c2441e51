"""reflekt_profiles.yml: registry credentials and warehouse sources, secrets kept out of output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from reflekt import logs
from reflekt.envvars import interpolate
from reflekt.errors import ConfigError
from reflekt.validation import config_error_from
from reflekt.yamlfile import YamlDocument, load_yaml

PROFILES_FILE = "reflekt_profiles.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def secrets(self) -> list[str]:
        return [v.get_secret_value() for v in self.__dict__.values() if isinstance(v, SecretStr)]


# -- registries --------------------------------------------------------------------------------


def _check_http_url(value: str | None, *, allow_path: bool = False) -> str | None:
    """Reject a URL no HTTP client can use here, with line:col, instead of a crash in the client."""
    from urllib.parse import urlsplit

    if value is None or (allow_path and "://" not in value):
        try:
            Path(value or "").expanduser()  # Iglu also takes a local folder
        except RuntimeError:
            raise ValueError(f"cannot expand {value.split('/', 1)[0]!r} (no such user)") from None
        return value
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValueError(f"not a valid URL ({exc})") from None
    schemes = ("http", "https", "file") if allow_path else ("http", "https")
    if parts.scheme not in schemes or (parts.scheme != "file" and not parts.hostname):
        raise ValueError(f"expected an {' or '.join(schemes[:2])} URL like https://api.example.com, got {value!r}")
    return value


Port = Annotated[int, Field(ge=1, le=65535)]


class SegmentRegistry(_Strict):
    type: Literal["segment"]
    api_token: SecretStr
    region: Literal["us", "eu"] = "us"
    url: str | None = None  # overrides the API base URL (proxies, EU hosts, tests)

    _url = field_validator("url")(classmethod(lambda cls, v: _check_http_url(v)))


class AvoRegistry(_Strict):
    type: Literal["avo"]
    workspace_id: str
    service_account_name: str
    service_account_secret: SecretStr
    url: str | None = None

    _url = field_validator("url")(classmethod(lambda cls, v: _check_http_url(v)))


class IgluRegistry(_Strict):
    type: Literal["iglu"]
    url: str  # an Iglu Server, a static registry over HTTP, or a local folder (file:// or a path)
    api_key: SecretStr | None = None

    _url = field_validator("url")(classmethod(lambda cls, v: _check_http_url(v, allow_path=True)))


RegistryEntry = Annotated[SegmentRegistry | AvoRegistry | IgluRegistry, Field(discriminator="type")]

# -- warehouses ----------------------------------------------------------------------------------


class _Source(_Strict):
    id: str = ""  # defaults to the type (Reflekt 0.3 profiles had no id)

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and "id" not in data and "type" in data:
            data = {**data, "id": data["type"]}
        return data


class DuckDBSource(_Source):
    type: Literal["duckdb"]
    path: str


class PostgresSource(_Source):
    type: Literal["postgres"]
    host: str = "localhost"
    port: Port = 5432
    database: str
    user: str
    password: SecretStr | None = None
    sslmode: str | None = None
    connect_timeout: int = 10


class RedshiftSource(PostgresSource):
    type: Literal["redshift"]  # type: ignore[assignment]
    port: Port = 5439


class SnowflakeSource(_Source):
    type: Literal["snowflake"]
    account: str
    user: str
    database: str | None = None
    warehouse: str | None = None
    role: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    password: SecretStr | None = None
    private_key_path: str | None = None
    private_key_passphrase: SecretStr | None = None
    authenticator: str | None = None


class BigQuerySource(_Source):
    type: Literal["bigquery"]
    project: str
    keyfile: str | None = None
    keyfile_json: dict[str, Any] | None = None
    location: str | None = None
    method: Literal["oauth", "service-account", "service-account-json"] | None = None

    def secrets(self) -> list[str]:
        if self.keyfile_json and isinstance(self.keyfile_json.get("private_key"), str):
            return [self.keyfile_json["private_key"]]
        return []


SourceEntry = Annotated[
    DuckDBSource | PostgresSource | RedshiftSource | SnowflakeSource | BigQuerySource,
    Field(discriminator="type"),
]


class Profile(_Strict):
    registry: list[RegistryEntry] = Field(default_factory=list)
    source: list[SourceEntry] = Field(default_factory=list)


class ProfilesFile:
    def __init__(self, path: Path, doc: YamlDocument, profiles: dict[str, Profile]) -> None:
        self.path = path
        self.doc = doc
        self.profiles = profiles

    def get(self, name: str) -> LoadedProfile:
        if name not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "(none)"
            raise ConfigError(
                f"profile {name!r} not found in {self.path}",
                hint=f"known profiles: {known}; pick one with --profile or set default_profile",
            )
        return LoadedProfile(name, self.path, self.profiles[name])


class LoadedProfile:
    def __init__(self, name: str, path: Path, profile: Profile) -> None:
        self.name = name
        self.path = path
        self.profile = profile

    def source(self, source_id: str) -> Any:
        for entry in self.profile.source:
            if entry.id == source_id:
                return entry
        known = ", ".join(s.id for s in self.profile.source) or "(none)"
        raise ConfigError(
            f"source {source_id!r} not found in profile '{self.name}' ({self.path})",
            hint=f"known source ids: {known}",
        )

    def registry(self, registry_type: str) -> Any:
        for entry in self.profile.registry:
            if entry.type == registry_type:
                return entry
        known = ", ".join(r.type for r in self.profile.registry) or "(none)"
        raise ConfigError(
            f"no '{registry_type}' registry in profile '{self.name}' ({self.path})",
            hint=f"configured registries: {known}; add a `- type: {registry_type}` entry under registry:",
        )


def load_profiles(path: Path, project_root: Path | None = None) -> ProfilesFile:
    """Load and validate every profile; relative file paths in sources resolve from `project_root`.

    Without `project_root`, a profiles file that sits in a project folder resolves from that
    folder; otherwise paths are left as written (relative to the working directory).
    """
    doc = load_yaml(path, what=PROFILES_FILE)
    if project_root is None and (path.parent / "reflekt_project.yml").is_file():
        project_root = path.parent
    if not isinstance(doc.data, dict):
        raise ConfigError(
            f"{PROFILES_FILE} must be a mapping of profile names to profiles",
            hint="start from the example in the README",
            path=path,
            line=1,
        )
    profiles: dict[str, Profile] = {}
    for name, raw in doc.data.items():
        if name == "version":
            continue
        if not isinstance(raw, dict):
            line_col = doc.position((name,))
            raise ConfigError(
                f"profile '{name}' must be a mapping with `registry:` and/or `source:` lists",
                hint=f"write `{name}:` followed by indented `registry:` and `source:` lists",
                path=path,
                line=line_col[0] if line_col else None,
                col=line_col[1] if line_col else None,
            )
        data = interpolate(raw, doc, (name,))
        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            raise config_error_from(exc, Profile, doc, what=f"profile '{name}'", prefix=(name,)) from None
        _reject_duplicate_ids(profile, doc, name)
        _check_paths(profile, doc, name)
        if project_root is not None:
            profile = _resolve_paths(profile, project_root)
        for entry in [*profile.registry, *profile.source]:
            for secret in entry.secrets():
                logs.register_secret(secret)
        profiles[str(name)] = profile
    return ProfilesFile(path, doc, profiles)


def _reject_duplicate_ids(profile: Profile, doc: YamlDocument, name: str) -> None:
    seen: set[str] = set()
    for index, entry in enumerate(profile.source):
        if entry.id in seen:
            line_col = doc.position((name, "source", index))
            raise ConfigError(
                f"duplicate source id '{entry.id}' in profile '{name}'",
                hint="give each source a unique `id:` (it is the first part of --source)",
                path=doc.path,
                line=line_col[0] if line_col else None,
                col=line_col[1] if line_col else None,
            )
        seen.add(entry.id)


# source fields holding a file path; a relative path means "from the project root"
PATH_FIELDS = ("path", "keyfile", "private_key_path")


def _check_paths(profile: Profile, doc: YamlDocument, name: str) -> None:
    """`~nosuchuser/x` cannot be expanded: say where, rather than crash in the warehouse driver."""
    for index, source in enumerate(profile.source):
        for field in PATH_FIELDS:
            value = getattr(source, field, None)
            if isinstance(value, str) and value.startswith("~"):
                try:
                    Path(value).expanduser()
                except RuntimeError:
                    line, col = doc.value_position((name, "source", index, field)) or (None, None)
                    raise ConfigError(
                        f"invalid value for '{name}.source.{index}.{field}': cannot expand "
                        f"{value.split('/', 1)[0]!r} (no such user)",
                        hint="write the full path, or ~/ for your own home folder",
                        path=doc.path,
                        line=line,
                        col=col,
                    ) from None


def _resolve_paths(profile: Profile, root: Path) -> Profile:
    sources = []
    for source in profile.source:
        updates = {}
        for field in PATH_FIELDS:
            value = getattr(source, field, None)
            if isinstance(value, str) and value and value != ":memory:":
                expanded = Path(value).expanduser()
                if not expanded.is_absolute():
                    updates[field] = str(root / expanded)
        sources.append(source.model_copy(update=updates) if updates else source)
    return profile.model_copy(update={"source": sources})
