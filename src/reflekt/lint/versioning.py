"""Version arithmetic for lint: parse file names, order them, name the kind of each bump."""

from __future__ import annotations

from reflekt.errors import SchemaError
from reflekt.schema import Version, parse_version

BUMP_NAMES = {
    "major-minor": ("MAJOR", "MINOR"),
    "schemaver": ("MODEL", "REVISION", "ADDITION"),
}


def version_of(schema_id: str, scheme: str) -> Version | None:
    name = schema_id.rsplit("/", 1)[-1].removesuffix(".json")
    try:
        return parse_version(name, scheme)
    except SchemaError:
        return None


def sort_key(schema_id: str, scheme: str) -> tuple:
    version = version_of(schema_id, scheme)
    return (0, version.parts) if version else (-1, ())


def bump_level(old: Version, new: Version) -> int:
    """Index of the first part that changed: 0 = MAJOR/MODEL, 1 = MINOR/REVISION, 2 = ADDITION."""
    for i, (a, b) in enumerate(zip(old.parts, new.parts)):
        if a != b:
            return i
    return len(new.parts)


def expected_next(old: Version) -> list[Version]:
    """The versions that may follow `old` without a gap: one per part, lower parts reset to 0."""
    nexts = []
    for i in range(len(old.parts)):
        parts = list(old.parts[: i + 1])
        parts[i] += 1
        nexts.append(Version(tuple(parts + [0] * (len(old.parts) - i - 1))))
    return nexts


def first_version(scheme: str) -> Version:
    return Version((1, 0, 0)) if scheme == "schemaver" else Version((1, 0))
