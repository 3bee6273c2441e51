"""What a lint rule is: a code, a name, a documented check over one schema or one event's versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Iterator

from reflekt.jsonpos import escape

if TYPE_CHECKING:
    from reflekt.lint.context import LintContext
    from reflekt.schema import EventSchema

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Options")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Violation:
    """What a rule reports: where (a JSON pointer into the schema) and what."""

    pointer: str
    message: str


@dataclass(frozen=True)
class Finding:
    """A violation placed in a file, with the rule's code and effective severity."""

    code: str
    name: str
    severity: Severity
    message: str
    schema_id: str  # path under schemas/
    path: str  # file path as given to the runner (absolute)
    pointer: str = ""
    line: int | None = None
    col: int | None = None

    def sort_key(self) -> tuple:
        return (self.schema_id, self.line or 0, self.col or 0, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "schema_id": self.schema_id,
            "file": f"schemas/{self.schema_id}",
            "pointer": self.pointer,
            "line": self.line,
            "col": self.col,
        }


@dataclass
class PropertyRef:
    """One property anywhere in a schema: top level, nested object, or array item object."""

    pointer: str  # e.g. /properties/cart/properties/id
    name: str
    node: dict[str, Any]
    required: bool  # listed in its parent's `required`
    parent_pointer: str  # pointer of the object schema that declares it
    column: str  # flattened name a warehouse loader would use (cart_id for cart.id)


@dataclass
class Target:
    """One parsed schema under lint, with its property walk computed once for all rules."""

    schema: "EventSchema"
    memo: dict[str, Any] = field(default_factory=dict)  # results rules share (e.g. draft errors)

    @cached_property
    def properties(self) -> list[PropertyRef]:
        return list(_walk_properties(self.schema.data, "", "", set()))

    @cached_property
    def subschemas(self) -> list[tuple[str, dict[str, Any]]]:
        """Every property-like subschema: properties, array items, anyOf/oneOf/allOf branches."""
        return list(_walk_subschemas(self.schema.data, "", top=True))


def _walk_properties(node: Any, pointer: str, column_prefix: str, seen: set[int]) -> Iterator[PropertyRef]:
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen.add(id(node))
    props = node.get("properties")
    if isinstance(props, dict):
        required = node.get("required")
        required_set = {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
        for name, child in props.items():
            child_pointer = f"{pointer}/properties/{escape(name)}"
            column = f"{column_prefix}_{name}" if column_prefix else name
            if isinstance(child, dict):
                yield PropertyRef(child_pointer, name, child, name in required_set, pointer, column)
                yield from _walk_properties(child, child_pointer, column, seen)
    items = node.get("items")
    if isinstance(items, dict):
        # Array elements land in one JSON/VARIANT column: their fields are not columns.
        yield from _walk_properties(items, f"{pointer}/items", "", seen)
    for keyword in ("anyOf", "oneOf", "allOf"):
        branches = node.get(keyword)
        if isinstance(branches, list):
            for i, branch in enumerate(branches):
                yield from _walk_properties(branch, f"{pointer}/{keyword}/{i}", column_prefix, seen)


def _walk_subschemas(node: Any, pointer: str, top: bool = False) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(node, dict):
        return
    if not top:
        yield pointer, node
    props = node.get("properties")
    if isinstance(props, dict):
        for name, child in props.items():
            yield from _walk_subschemas(child, f"{pointer}/properties/{escape(name)}")
    items = node.get("items")
    if isinstance(items, dict):
        yield from _walk_subschemas(items, f"{pointer}/items")
    elif isinstance(items, list):
        for i, item in enumerate(items):
            yield from _walk_subschemas(item, f"{pointer}/items/{i}")
    for keyword in ("anyOf", "oneOf", "allOf"):
        branches = node.get(keyword)
        if isinstance(branches, list):
            for i, branch in enumerate(branches):
                yield from _walk_subschemas(branch, f"{pointer}/{keyword}/{i}")


def types_of(node: dict[str, Any]) -> list[str] | None:
    """The `type` keyword as a list of strings; None when absent or malformed."""
    value = node.get("type")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for t in value if isinstance(t, str)]
    return None


class Rule:
    """Base class. Subclasses set code/name/severity/options and implement `check` (one schema)
    or `check_versions` (every version of one event, oldest first).

    The class docstring is the rule's documentation (see DOC_SECTIONS)."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    options: ClassVar[dict[str, Any]] = {}  # option -> default; validated from reflekt_project.yml
    scope: ClassVar[str] = "schema"  # "schema" | "versions" | "project"

    def __init__(self, ctx: "LintContext", options: dict[str, Any]) -> None:
        self.ctx = ctx
        self.opts = {**self.options, **options}

    def check(self, target: Target) -> Iterable[Violation]:  # pragma: no cover - overridden
        return ()

    def check_versions(self, targets: list[Target]) -> Iterable[tuple[Target, Violation]]:  # pragma: no cover
        return ()
