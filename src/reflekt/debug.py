"""`reflekt debug`: check the configuration files, the schemas and every connection of a profile.

The project and profiles files are prerequisites: their errors are raised as-is (exit 2, with
file:line:col). Everything after them is a row in the report, so one run shows every problem.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reflekt import logs
from reflekt.errors import ReflektError, display_path

CHECK_TIMEOUT = 15.0  # seconds per registry/source check; debug must never hang a CI job
CONNECT_TIMEOUT = 5  # passed to drivers that take one (PostgreSQL, Redshift)


class ChecksFailed(ReflektError):
    """At least one debug check failed (config or connection): exit 2, like any config problem."""


@dataclass
class Check:
    name: str
    ok: bool
    detail: str

    @property
    def status(self) -> str:
        return "ok" if self.ok else "FAIL"


def run_checks(runtime: Any, timeout: float = CHECK_TIMEOUT) -> list[Check]:
    project = runtime.project()
    from reflekt.lint.config import load_lint_settings

    load_lint_settings(project)  # the `lint:` block is part of the project file: its errors are raised as-is
    checks = [Check("project file", True, f"{display_path(project.path)} (project '{project.config.name}')")]
    profiles = runtime.profiles_file()
    loaded = runtime.profile()
    checks.append(Check("profiles file", True, f"{display_path(profiles.path)} (profile '{loaded.name}')"))
    meta_check, meta = check_meta_schema(project)
    checks.append(meta_check)
    checks.append(check_schemas(project, meta))
    # set once here, not per worker thread: a timed-out thread restoring the module global later
    # would otherwise leave the short timeouts in place for the rest of the process
    with _short_http_timeouts():
        for entry in loaded.profile.registry:
            checks.append(guarded(f"registry {entry.type}", lambda e=entry: _check_registry(e, project), timeout))
    for source in loaded.profile.source:
        checks.append(
            guarded(f"source {source.id} ({source.type})", lambda s=source: _check_source(s), timeout)
        )
    if not loaded.profile.registry and not loaded.profile.source:
        checks.append(Check("connections", True, f"profile '{loaded.name}' has no registry or source"))
    for check in checks:
        check.detail = logs.mask(check.detail)
        logs.logger.info("check %s: %s %s", check.name, check.status, check.detail)
    return checks


def check_meta_schema(project: Any) -> tuple[Check, Any]:
    """The meta-schema compiled as lint compiles it: offline, so a remote $ref is a failed row."""
    from reflekt.lint.context import compile_meta_schema
    from reflekt.lint.validators import offline_registry
    from reflekt.schema import load_schema

    path = project.meta_schema_path
    name = "meta-schema"
    if not path.is_file():
        return Check(name, False, f"{display_path(path)} not found (create it with `reflekt init --force`)"), None
    from jsonschema import Draft7Validator, SchemaError
    from jsonschema.validators import validator_for

    try:
        try:
            meta = load_schema(path, path.parent).data
        except ReflektError as exc:  # worded as lint words it: "<file>:1:2: meta-schema: invalid JSON"
            location = f"{exc.location}: " if exc.location else ""
            return Check(name, False, f"{location}meta-schema: {exc.message}"), None
        cls = validator_for(meta, default=Draft7Validator)
        try:
            cls.check_schema(meta)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
            return Check(name, False, f"{display_path(path)}: not a valid JSON Schema at {where}: {exc.message}"), None
        compile_meta_schema(path)  # what lint does: also fails on a $ref it will not fetch
    except ReflektError as exc:
        return Check(name, False, str(exc)), None
    # python-jsonschema words errors as users know them ('vendor' is a required property)
    return Check(name, True, display_path(path)), cls(meta, registry=offline_registry())


def check_schemas(project: Any, validator: Any) -> Check:
    """Every schema parses as JSON and (when the meta-schema is usable) matches it, as lint's SC01 sees it."""
    from reflekt.lint.context import metadata_variants
    from reflekt.schema import load_schema
    from reflekt.selection import all_schema_ids, require_schemas_dir

    try:
        require_schemas_dir(project.schemas_dir)
    except ReflektError as exc:
        return Check("schemas", False, str(exc))
    ids = all_schema_ids(project.schemas_dir)
    problems: list[str] = []
    for schema_id in ids:
        path = project.schemas_dir / schema_id
        try:
            schema = load_schema(path, project.schemas_dir)
        except ReflektError as exc:
            problems.append(str(exc))
            continue
        if validator is not None:
            problem = _meta_schema_problem(validator, metadata_variants(schema.data))
            if problem:
                problems.append(f"{display_path(path)}: {problem}")
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        return Check("schemas", False, f"{len(problems)} of {len(ids)} invalid: {problems[0]}{more}")
    return Check("schemas", True, f"{len(ids)} schema(s) parse and match the meta-schema")


def _meta_schema_problem(validator: Any, variants: list[dict]) -> str | None:
    """None when any variant matches (as lint's SC01 decides); else the first error of the closest one."""
    from reflekt.lint.validators import unresolvable_error

    best = None
    for variant in variants:
        try:
            errors = sorted(validator.iter_errors(variant), key=lambda e: [str(p) for p in e.path])
        except (RecursionError, unresolvable_error()) as exc:
            return f"cannot be checked against the meta-schema: {str(exc).splitlines()[0] or type(exc).__name__}"
        if not errors:
            return None
        if best is None or len(errors) < len(best):
            best = errors
    error = best[0]
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    return f"does not match the meta-schema at {where}: {error.message}"


def _check_registry(entry: Any, project: Any) -> str:
    from reflekt.registries.base import get_registry

    return get_registry(entry, project).check()


class _short_http_timeouts:
    """debug answers "can I reach it?": one quick retry instead of the long backoff of pull/push."""

    def __enter__(self) -> None:
        import dataclasses

        try:
            from reflekt.registries import http
        except ImportError:  # registries without the shared HTTP client
            self._saved = None
            return
        self._http = http
        self._saved = http.SETTINGS
        http.SETTINGS = dataclasses.replace(
            http.SETTINGS, timeout=CONNECT_TIMEOUT * 2, connect_timeout=CONNECT_TIMEOUT, retries=1, max_retry_sleep=1.0
        )

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            self._http.SETTINGS = self._saved


def _check_source(source: Any) -> str:
    from reflekt.warehouses.base import get_warehouse

    if "connect_timeout" in type(source).model_fields:
        source = source.model_copy(update={"connect_timeout": min(source.connect_timeout, CONNECT_TIMEOUT)})
    warehouse = get_warehouse(source)
    try:
        return warehouse.check()
    finally:
        warehouse.close()


def guarded(name: str, check: Callable[[], str], timeout: float) -> Check:
    """Run one connection check in a worker thread, bounded by `timeout`.

    Any exception becomes a failed row: debug is the tool people run when things are broken, so
    a driver error (or a registry module not built yet) must be reported, not crash the report.
    """
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["detail"] = check()
        except ReflektError as exc:
            outcome["error"] = str(exc) + (f" ({exc.hint})" if exc.hint else "")
        except Exception as exc:  # noqa: BLE001 - see docstring; the traceback goes to the log
            logs.logger.exception("check %s raised", name)
            outcome["error"] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"

    worker = threading.Thread(target=work, name=f"reflekt-debug-{name}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return Check(name, False, f"timed out after {timeout:g}s")
    if "error" in outcome:
        return Check(name, False, outcome["error"])
    return Check(name, True, str(outcome.get("detail", "")))
