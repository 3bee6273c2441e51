"""An event's versions: a gapless sequence, and bumps that match what changed (via schema_diff)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from reflekt.lint.rule import Rule, Severity, Target, Violation
from reflekt.lint.versioning import BUMP_NAMES, bump_level, expected_next, first_version, version_of
from reflekt.schema import Version
from reflekt.schema_diff import diff_schemas


def _versioned(rule: Rule, targets: list[Target]) -> list[tuple[Version, Target]]:
    """Targets with a valid version, oldest first; parsed once per run for the three rules."""
    pairs = []
    for target in targets:
        if "version" not in target.memo:
            target.memo["version"] = version_of(target.schema.id.value, rule.ctx.versioning)
        if target.memo["version"] is not None:
            pairs.append((target.memo["version"], target))
    return sorted(pairs, key=lambda p: p[0])


def _diff(old: Target, new: Target):
    """The changes from `old` to `new`, computed once for VR02 and VR03."""
    key = "diff:" + old.schema.id.value
    if key not in new.memo:
        new.memo[key] = diff_schemas(old.schema.data, new.schema.data)
    return new.memo[key]


def _added_to_open_object(change, old_schema: dict) -> bool:
    """A property added where the old schema let undeclared properties through."""
    if change.kind not in ("property-added", "required-property-added"):
        return False
    parent = _resolve(old_schema, change.path.rsplit("/properties/", 1)[0])
    return isinstance(parent, dict) and parent.get("additionalProperties", True) is not False


def _resolve(document, pointer: str):
    node = document
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


class VersionSequenceGap(Rule):
    """An event's versions do not start at 1-0 or skip a version.

    What it does:
        Orders the version files of each event folder and checks that the first is 1-0
        (SchemaVer: 1-0-0) and each next one bumps exactly one part by one, resetting the parts
        after it: 1-0, 1-1, 2-0 is fine; 1-0, 1-2 misses 1-1. With --select, the unselected
        versions of the selected events are read too.

    Why is this bad?
        A gap usually means a lost or unpushed file; consumers pinned to the missing version
        break.

    Example:
        Cart Viewed/1-0.json, Cart Viewed/1-2.json

    Use instead:
        Cart Viewed/1-0.json, Cart Viewed/1-1.json

    Options:
        None (configured by `schemas.versioning`).
    """

    code = "VR01"
    name = "version-sequence-gap"
    scope = "versions"

    def check_versions(self, targets: list[Target]) -> Iterable[tuple[Target, Violation]]:
        ordered = _versioned(self, targets)
        if not ordered:
            return
        first = first_version(self.ctx.versioning)
        version, target = ordered[0]
        if version != first:
            yield target, Violation("", f"the first version of '{target.event_folder}' is {version}; "
                                    f"versions start at {first}")
        for (prev, _), (cur, target) in pairwise(ordered):
            allowed = expected_next(prev)
            if cur not in allowed:
                yield target, Violation("", f"version {cur} follows {prev}: expected "
                                        f"{' or '.join(str(v) for v in sorted(allowed))}")


class BreakingChangeWithoutMajor(Rule):
    """A MINOR (SchemaVer: ADDITION) version makes a breaking change.

    What it does:
        Compares each version with the previous one (reflekt.schema_diff) and reports every
        change that can reject events valid under the previous version when the bump is only
        MINOR: a required property removed or renamed, optional -> required, a new required
        property, a type, enum, bound, pattern or format narrowed, additionalProperties
        tightened. The finding points at the changed property and names the MAJOR version to use.
        Under SchemaVer a REVISION may break some history (it is not reported); an ADDITION may not,
        and that includes adding a property to an object that accepts undeclared properties
        (historical events may carry that name with another type): that needs a REVISION.

    Why is this bad?
        Pipelines pinned to the MAJOR version start rejecting or mis-typing events.

    Example:
        1-0: "required": []  ->  1-1: "required": ["coupon"]

    Use instead:
        publish the change as 2-0, or keep "coupon" optional in 1-1

    Options:
        None.
    """

    code = "VR02"
    name = "breaking-change-without-major"
    scope = "versions"

    def check_versions(self, targets: list[Target]) -> Iterable[tuple[Target, Violation]]:
        names = BUMP_NAMES[self.ctx.versioning]
        flagged_level = len(names) - 1  # MINOR, or ADDITION under SchemaVer
        ordered = _versioned(self, targets)
        for (prev, prev_target), (cur, target) in pairwise(ordered):
            level = bump_level(prev, cur)
            if level != flagged_level:
                continue
            major = Version((prev.major + 1,) + (0,) * (len(prev.parts) - 1))
            for change in _diff(prev_target, target):
                if not change.breaking and self.ctx.versioning == "schemaver" and \
                        _added_to_open_object(change, prev_target.schema.data):
                    revision = Version((prev.parts[0], prev.parts[1] + 1, 0))
                    yield target, Violation(change.path, f"ADDITION bump {prev} -> {cur} adds a property to an "
                                            f"object that accepts undeclared properties: {change.message}; "
                                            f"historical events may hold it with another type, so this needs "
                                            f"a REVISION bump ({revision})")
                if change.breaking:
                    yield target, Violation(change.path, f"{names[level]} bump {prev} -> {cur} makes a breaking "
                                            f"change ({change.kind}): {change.message}; this needs a "
                                            f"{names[0]} bump ({major})")


class MajorBumpWithoutBreakingChange(Rule):
    """A MAJOR (SchemaVer: MODEL) version makes only compatible changes.

    What it does:
        Compares each MAJOR version with the previous version; when no change can reject
        old events, reports that a MINOR (ADDITION) bump would do.

    Why is this bad?
        A MAJOR bump makes consumers migrate (new tables, new dbt models) for nothing.

    Example:
        1-0 -> 2-0 that only adds an optional property

    Use instead:
        1-1

    Options:
        None.
    """

    code = "VR03"
    name = "major-bump-without-breaking-change"
    scope = "versions"
    severity = Severity.WARNING

    def check_versions(self, targets: list[Target]) -> Iterable[tuple[Target, Violation]]:
        names = BUMP_NAMES[self.ctx.versioning]
        ordered = _versioned(self, targets)
        for (prev, prev_target), (cur, target) in pairwise(ordered):
            if bump_level(prev, cur) != 0:
                continue
            changes = _diff(prev_target, target)
            if any(c.breaking for c in changes):
                continue
            minor = Version(prev.parts[:-1] + (prev.parts[-1] + 1,))
            what = "only compatible changes" if changes else "no schema changes"
            article = "an" if names[-1][0] in "AEIOU" else "a"
            yield target, Violation("", f"{names[0]} bump {prev} -> {cur} has {what}; {article} {names[-1]} bump "
                                    f"({minor}) would do")
