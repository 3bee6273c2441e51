"""What changed between two consecutive versions of an event, for the report.

The one seam to reflekt.schema_diff (owned by the compatibility checks): the report shows its
changes as they are, with the bump they call for.
"""

from __future__ import annotations

from dataclasses import dataclass

from reflekt.schema import EventSchema


@dataclass(frozen=True)
class ChangeLine:
    message: str
    breaking: bool
    kind: str
    path: str


@dataclass(frozen=True)
class VersionChange:
    previous: str  # the version compared against
    bump: str  # major | minor | none
    lines: list[ChangeLine]


def changes_between(old: EventSchema, new: EventSchema) -> VersionChange:
    from reflekt.schema_diff import diff_schemas, required_bump

    changes = diff_schemas(old.data, new.data)
    lines = [ChangeLine(c.message, c.breaking, c.kind, c.path) for c in changes]
    return VersionChange(old.version, required_bump(changes), lines)
