"""What a command run knows: global options, and the project and profile loaded on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflekt import logs
from reflekt.errors import ConfigError

if TYPE_CHECKING:  # pydantic models load on first use, keeping `reflekt --help` fast
    from reflekt.profiles import LoadedProfile, ProfilesFile
    from reflekt.project import Project


@dataclass
class Runtime:
    project_dir: Path | None = None
    profile_name: str | None = None
    profiles_path: Path | None = None  # a file, or a folder holding reflekt_profiles.yml
    debug: bool = False
    command: str = "reflekt"
    _project: Any = field(default=None, repr=False)
    _profiles: Any = field(default=None, repr=False)

    def project(self) -> Project:
        if self._project is None:
            from reflekt.envvars import load_dotenv
            from reflekt.project import load_project

            project = load_project(self.project_dir)
            logs.start_run_log(project.logs_dir, self.command)
            logs.logger.info("project %s at %s", project.config.name, project.root)
            load_dotenv(project.root / ".env")
            self._project = project
        return self._project

    def profiles_file(self) -> ProfilesFile:
        if self._profiles is None:
            from reflekt.profiles import load_profiles

            path = self.resolve_profiles_path()
            logs.logger.info("profiles from %s", path)
            # relative paths in sources (a DuckDB file, a keyfile) resolve from the project root
            self._profiles = load_profiles(path, project_root=self.project().root)
        return self._profiles

    def resolve_profiles_path(self) -> Path:
        from reflekt.profiles import PROFILES_FILE

        if self.profiles_path is not None:
            from reflekt.fsutil import expand_home

            explicit = expand_home(self.profiles_path, what="--profiles-dir")
            path = explicit / PROFILES_FILE if _is_dir(explicit) else explicit
            if not _is_file(path):
                raise ConfigError(
                    f"profiles file not found: {path}",
                    hint="--profiles-dir takes the folder holding reflekt_profiles.yml, or the file itself",
                )
            return path
        candidates = self.project().profiles_candidates()
        for candidate in candidates:
            if _is_file(candidate):
                return candidate
        raise ConfigError(
            "no reflekt_profiles.yml found (looked in: " + ", ".join(str(c) for c in candidates) + ")",
            hint="create one with `reflekt init`, set profiles_path in reflekt_project.yml, or pass --profiles-dir",
        )

    def profile(self) -> LoadedProfile:
        name = self.profile_name or self.project().config.default_profile
        return self.profiles_file().get(name)


def _is_file(path: Path) -> bool:
    """Path.is_file, but a name the OS rejects (too long, a file used as a folder) is just "not there"."""
    try:
        return path.is_file()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False
