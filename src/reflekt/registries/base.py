"""The Registry protocol, the data passed across it, and the lazy table of registries.

A registry fetches remote schemas already converted to Reflekt's shape (`pull`), and sends local
schemas (`push`). Writing files, selection and output stay in shared code, so every registry
behaves the same way on disk.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from reflekt.errors import UsageError

# profile `type:` -> "module:Class"
REGISTRIES: dict[str, str] = {
    "segment": "reflekt.registries.segment:SegmentRegistry",
    "avo": "reflekt.registries.avo:AvoRegistry",
    "iglu": "reflekt.registries.iglu:IgluRegistry",
}


@dataclass(frozen=True)
class Scope:
    """What a --select names inside one registry: `segment/<plan>/<Event>/<version>` -> path parts."""

    registry: str
    path: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "/".join((self.registry, *self.path))


@dataclass
class PulledSchema:
    """One remote schema, converted: its id under schemas/ and its JSON document."""

    schema_id: str
    data: dict[str, Any]


@dataclass
class PullResult:
    schemas: list[PulledSchema] = field(default_factory=list)
    # remote items that could not become a schema file, each a one-line reason
    skipped: list[str] = field(default_factory=list)
    # folders under schemas/ fully covered by this pull: --prune only ever deletes inside them
    covered_folders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class PushOptions:
    dry_run: bool = False
    delete: bool = False
    confirm: Callable[[str], bool] = lambda _question: False
    import_method: str | None = None


@dataclass(frozen=True)
class Change:
    kind: str  # added | changed | removed
    name: str  # what a user recognises: rule key + version, event name, iglu URI
    detail: str = ""


@dataclass
class PushResult:
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False  # False for --dry-run or when there was nothing to send
    target: str = ""


class Registry(Protocol):
    def check(self) -> str:
        """Reach the registry with the profile's credentials (short timeout); return a description."""
        ...

    def pull(self, scope: Scope) -> PullResult:
        """Fetch everything in scope before returning: a failure leaves no partial result."""
        ...

    def push(self, scope: Scope, schemas: list[Any], options: PushOptions) -> PushResult:
        """Send local EventSchemas in scope; with options.dry_run only compute the changes."""
        ...


def get_registry(entry: Any, project: Any) -> Registry:
    target = REGISTRIES.get(entry.type)
    if target is None:
        raise UsageError(f"unknown registry type '{entry.type}'", hint="known: " + ", ".join(REGISTRIES))
    module_name, class_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise UsageError(f"the '{entry.type}' registry is not available in this build yet") from None
    return getattr(module, class_name)(entry, project)
