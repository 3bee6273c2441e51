"""What a validation run found: counts per event, grouped violations with examples, bad lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reflekt.validate.catalog import Target

MAX_EXAMPLES = 3
MAX_BAD_LINES = 20  # listed; every bad line is counted


@dataclass
class Example:
    line: int | None = None
    event_id: str | None = None

    def label(self) -> str:
        if self.event_id is not None and self.line is not None:
            return f"{self.event_id} (line {self.line})"
        return self.event_id if self.event_id is not None else f"line {self.line}"

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("line", self.line), ("id", self.event_id)) if v is not None}


@dataclass
class ViolationGroup:
    """All payloads breaking one keyword of one property of one schema version."""

    event: str
    version: str
    schema_id: str
    property: str
    keyword: str
    message: str  # the first payload's message, as an illustration
    count: int = 0
    examples: list[Example] = field(default_factory=list)


@dataclass
class UnknownGroup:
    event: str
    reason: str
    count: int = 0
    examples: list[Example] = field(default_factory=list)


@dataclass
class BadLine:
    line: int
    reason: str


@dataclass
class Results:
    source: str  # the file, '-', or the warehouse source
    backend: str = ""
    targets: list[Target] = field(default_factory=list)
    violations: dict[tuple[str, str, str], ViolationGroup] = field(default_factory=dict)
    unknown: dict[tuple[str, str], UnknownGroup] = field(default_factory=dict)
    bad_lines: list[BadLine] = field(default_factory=list)
    bad_line_count: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def valid(self) -> int:
        return sum(t.valid for t in self.targets)

    @property
    def invalid(self) -> int:
        return sum(t.invalid for t in self.targets)

    @property
    def unknown_count(self) -> int:
        return sum(u.count for u in self.unknown.values())

    @property
    def total(self) -> int:
        return self.valid + self.invalid + self.unknown_count + self.bad_line_count

    def top_violations(self) -> list[ViolationGroup]:
        return sorted(self.violations.values(), key=lambda v: (-v.count, v.event, v.version, v.property, v.keyword))

    def add_bad_line(self, line: int, reason: str) -> None:
        self.bad_line_count += 1
        if len(self.bad_lines) < MAX_BAD_LINES:
            self.bad_lines.append(BadLine(line, reason))

    def add_unknown(self, event: str, reason: str, example: Example) -> None:
        group = self.unknown.get((event, reason))
        if group is None:
            group = self.unknown[(event, reason)] = UnknownGroup(event, reason)
        group.count += 1
        if len(group.examples) < MAX_EXAMPLES:
            group.examples.append(example)

    def add_violation(self, target: Target, prop: str, keyword: str, message: str, example: Example) -> None:
        key = (target.schema.id.value, prop, keyword)
        group = self.violations.get(key)
        if group is None:
            group = self.violations[key] = ViolationGroup(
                target.name, target.version, target.schema.id.value, prop, keyword, message
            )
        group.count += 1
        if len(group.examples) < MAX_EXAMPLES:
            group.examples.append(example)
