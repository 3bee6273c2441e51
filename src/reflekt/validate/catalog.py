"""The selected schemas, indexed by event name and version, each compiled at most once.

Matching rules (docs/validate.md):
- the event name equals `EventSchema.name` exactly (case matters, as in Segment Protocols);
- with an explicit version, versions compare part by part with missing parts read as 0
  (`1-0` = `1-0-0`, so Iglu URIs match MAJOR-MINOR schemas); a bare major (`2`, Segment's
  `event_version`) means the latest `2-x`; without one, the latest version wins;
- an Iglu vendor narrows the candidates when some schema carries that vendor;
- two selected schemas with the same name and version: the first schema id wins, with a warning.
"""

from __future__ import annotations

from typing import Any

from reflekt.errors import SchemaError
from reflekt.schema import EventSchema
from reflekt.validate.compiler import CompiledSchema, compile_schema


class Target:
    """One (event, version) with its compiled schema and its counters (kept here: one lookup per event)."""

    __slots__ = ("compiled", "invalid", "name", "schema", "valid", "version")

    def __init__(self, schema: EventSchema, compiled: CompiledSchema) -> None:
        self.schema = schema
        self.name = schema.name
        self.version = schema.version
        self.compiled = compiled
        self.valid = 0
        self.invalid = 0


class Unknown:
    """Why a payload matched no schema (the same reason for the same name and version)."""

    __slots__ = ("name", "reason")

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason


def _parts(text: str) -> tuple[int, ...] | None:
    try:
        parts = tuple(int(p) for p in text.split("-"))
    except ValueError:
        return None
    while len(parts) > 1 and parts[-1] == 0:
        parts = parts[:-1]
    return parts


class Catalog:
    def __init__(self, schemas: list[EventSchema], *, backend: str = "auto") -> None:
        self.backend = backend
        self.warnings: list[str] = []
        self._by_name: dict[str, list[EventSchema]] = {}
        for schema in sorted(schemas, key=lambda s: s.id.value):
            self._by_name.setdefault(schema.name, []).append(schema)
        for candidates in self._by_name.values():
            candidates.sort(key=lambda s: _parts(s.version) or (0,))
        self._targets: dict[str, Target] = {}  # schema id -> compiled target
        self._resolved: dict[tuple[Any, ...], Target | Unknown] = {}

    @property
    def schemas_by_name(self) -> dict[str, list[EventSchema]]:
        """Selected schemas per event name, oldest version first."""
        return self._by_name

    @property
    def targets(self) -> list[Target]:
        return list(self._targets.values())

    def lookup(self, names: tuple[str, ...], version: str | None, vendor: str | None) -> Target | Unknown:
        key = (names, version, vendor)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(names, version, vendor)
        return found

    def _resolve(self, names: tuple[str, ...], version: str | None, vendor: str | None) -> Target | Unknown:
        name = next((n for n in names if n in self._by_name), None)
        if name is None:
            return Unknown(names[0], f"no schema named {names[0]!r} in the selection")
        candidates = self._by_name[name]
        if vendor and any(c.vendor == vendor for c in candidates):
            candidates = [c for c in candidates if c.vendor == vendor]
        if version is None:
            latest = _parts(candidates[-1].version)
            matches = [c for c in candidates if _parts(c.version) == latest]
        else:
            wanted = _parts(version)
            if wanted is None:
                return Unknown(name, f"version {version!r} of {name!r} is not a version (expected e.g. 2-1)")
            if "-" not in version:  # a bare major: the latest minor of it
                same_major = [c for c in candidates if (_parts(c.version) or (0,))[0] == wanted[0]]
                latest = _parts(same_major[-1].version) if same_major else None
                matches = [c for c in same_major if _parts(c.version) == latest]
            else:
                matches = [c for c in candidates if _parts(c.version) == wanted]
            if not matches:
                have = ", ".join(dict.fromkeys(c.version for c in candidates))
                return Unknown(name, f"version {version} of {name!r} is not in the selection (have {have})")
        if len(matches) > 1:
            self.warnings.append(
                f"{len(matches)} selected schemas define {name!r} {matches[0].version}: "
                + ", ".join(m.id.value for m in matches)
                + f"; validating against {matches[0].id.value}"
            )
        return self._target(matches[0])

    def _target(self, schema: EventSchema) -> Target:
        target = self._targets.get(schema.id.value)
        if target is None:
            try:
                compiled = compile_schema(schema.data, prefer=self.backend)
            except ValueError as exc:
                raise SchemaError(
                    f"cannot compile schema for validation: {exc}",
                    hint="run `reflekt lint` on it; remote $refs are not fetched",
                    path=schema.path,
                ) from None
            target = self._targets[schema.id.value] = Target(schema, compiled)
        return target
