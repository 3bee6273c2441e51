"""The error tree users see, and the one documented table of exit codes."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes a CI can trust. Documented in the README; never reuse a value."""

    OK = 0
    FINDINGS = 1  # lint or validation found problems
    USAGE = 2  # bad usage, config, credentials or connection
    INTERNAL = 3  # a bug in reflekt: the log has the traceback
    INTERRUPTED = 130  # Ctrl-C


class ReflektError(Exception):
    """An expected failure: printed as one line plus a hint, never as a traceback."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: Path | str | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.line = line
        self.col = col

    @property
    def location(self) -> str | None:
        if self.path is None:
            return None
        loc = display_path(self.path)
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        return loc

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class UsageError(ReflektError):
    """Bad command-line arguments (e.g. --select matches nothing, malformed --source)."""


class ConfigError(ReflektError):
    """reflekt_project.yml, reflekt_profiles.yml, .env or a meta-schema is wrong."""


class SchemaError(ReflektError):
    """A schema file cannot be read or parsed."""


class ConnectionFailed(ReflektError):
    """A registry or warehouse cannot be reached or refused the credentials."""


class MissingDependency(ReflektError):
    """An optional driver is not installed; the hint names the extra to install."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"the optional dependency '{module}' is not installed",
            hint=f"pip install 'reflekt[{extra}]'",
        )
        self.module = module
        self.extra = extra


def display_path(path: Path | str) -> str:
    """A path relative to the cwd when it is below it: shorter and clickable in editors."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
