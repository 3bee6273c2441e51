"""What `reflekt pull` and `reflekt push` do, between the CLI and the registry modules."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from reflekt.errors import UsageError
from reflekt.registries.base import REGISTRIES, PullResult, PushOptions, PushResult, Scope, get_registry
from reflekt.registries.files import FileOutcome, write_pull


def parse_scope(select: str | None, registry: str | None) -> Scope:
    """`segment/ecommerce/Cart Viewed` -> Scope('segment', ('ecommerce', 'Cart Viewed'))."""
    text = (select or "").strip().strip("'\"").replace("\\", "/").strip("/")
    text = text.removeprefix("schemas/")
    parts = tuple(p for p in PurePosixPath(text).parts if p) if text else ()
    if any(p in (".", "..") for p in parts):
        raise UsageError(f"--select {select!r} must not contain '.' or '..'")
    if registry is None:
        if not parts:
            raise UsageError(
                "name the registry: --select <registry>/<plan-or-branch> or --registry <name>",
                hint="e.g. --select segment/ecommerce, --select avo/main, --select iglu/com.acme",
            )
        registry, parts = parts[0], parts[1:]
    elif parts and parts[0] == registry:
        parts = parts[1:]
    if registry not in REGISTRIES:
        raise UsageError(
            f"unknown registry '{registry}'",
            hint="the first part of --select (or --registry) is one of: " + ", ".join(REGISTRIES),
        )
    return Scope(registry, parts)


def open_registry(runtime: Any, scope: Scope) -> Any:
    project = runtime.project()
    entry = runtime.profile().registry(scope.registry)
    return get_registry(entry, project)


def pull(runtime: Any, scope: Scope, *, prune: bool) -> tuple[PullResult, list[FileOutcome]]:
    registry = open_registry(runtime, scope)
    result = registry.pull(scope)  # everything fetched before anything is written
    outcomes = write_pull(runtime.project().schemas_dir, result, prune=prune)
    return result, outcomes


def push(runtime: Any, scope: Scope, options: PushOptions) -> PushResult:
    from reflekt.schema import load_schema
    from reflekt.selection import all_schema_ids, match_selector

    project = runtime.project()
    registry = open_registry(runtime, scope)
    folder = str(scope)
    ids = match_selector(folder, all_schema_ids(project.schemas_dir))
    if not ids and not options.delete:
        raise UsageError(
            f"no local schema under schemas/{folder} to push",
            hint="pull first, or check the --select path (it is a folder under schemas/)",
        )
    schemas = [load_schema(project.schemas_dir / i, project.schemas_dir) for i in ids]
    return registry.push(scope, schemas, options)
