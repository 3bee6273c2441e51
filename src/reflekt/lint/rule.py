"""What a lint rule is: a code, a name, a documented check over one schema or one event's versions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

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
    column: str | None  # flattened name a loader would use (cart_id for cart.id); None inside arrays


@dataclass
class Target:
    """One parsed schema under lint, with its property walk computed once for all rules."""

    schema: EventSchema
    memo: dict[str, Any] = field(default_factory=dict)  # results rules share (e.g. draft errors)

    @property
    def event_folder(self) -> str:
        """The event folder name ('Cart Viewed'), from the id string (no path parsing)."""
        parts = self.schema.id.value.rsplit("/", 2)
        return parts[-2] if len(parts) >= 2 else ""

    @property
    def version_text(self) -> str:
        return self.schema.id.value.rsplit("/", 1)[-1].removesuffix(".json")

    @cached_property
    def properties(self) -> list[PropertyRef]:
        self._walk()
        return self.memo["properties"]

    @cached_property
    def subschemas(self) -> list[tuple[str, dict[str, Any]]]:
        """Every property-like subschema: properties, array items, anyOf/oneOf/allOf branches."""
        self._walk()
        return self.memo["subschemas"]

    @cached_property
    def typed_subschemas(self) -> list[tuple[str, dict[str, Any], list[str]]]:
        """(pointer, node, types) for the subschemas that declare a `type`."""
        out = []
        for pointer, node in self.subschemas:
            types = types_of(node)
            if types:
                out.append((pointer, node, types))
        return out

    def _walk(self) -> None:
        if "subschemas" not in self.memo:
            subschemas: list[tuple[str, dict[str, Any]]] = []
            properties: list[PropertyRef] = []
            _collect(self.schema.data, "", "", subschemas, properties)
            self.memo["subschemas"], self.memo["properties"] = subschemas, properties


# One walk collects both lists, with plain recursion appending to lists: generator chains and a
# second traversal cost seconds on 10,000 schemas. Parsed JSON has no cycles.
def _collect(
    node: dict[str, Any],
    pointer: str,
    column_prefix: str | None,
    subschemas: list[tuple[str, dict[str, Any]]],
    properties: list[PropertyRef],
) -> None:
    props = node.get("properties")
    if props.__class__ is dict:
        required = node.get("required")
        required_set = {r for r in required if r.__class__ is str} if required.__class__ is list else ()
        for name, child in props.items():
            if child.__class__ is not dict:
                continue
            child_pointer = f"{pointer}/properties/{escape(name)}"
            column = None if column_prefix is None else f"{column_prefix}_{name}" if column_prefix else name
            subschemas.append((child_pointer, child))
            properties.append(PropertyRef(child_pointer, name, child, name in required_set, column))
            if "properties" in child or "items" in child or not _BRANCHES.isdisjoint(child):
                _collect(child, child_pointer, column, subschemas, properties)
    items = node.get("items")
    if items.__class__ is dict:
        # Array elements land in one JSON/VARIANT column: their fields are not columns.
        subschemas.append((f"{pointer}/items", items))
        _collect(items, f"{pointer}/items", None, subschemas, properties)
    elif items.__class__ is list:
        for i, item in enumerate(items):
            if item.__class__ is dict:
                subschemas.append((f"{pointer}/items/{i}", item))
                _collect(item, f"{pointer}/items/{i}", None, subschemas, properties)
    if not _BRANCHES.isdisjoint(node):
        for keyword in ("anyOf", "oneOf", "allOf"):
            branches = node.get(keyword)
            if branches.__class__ is list:
                for i, branch in enumerate(branches):
                    if branch.__class__ is dict:
                        subschemas.append((f"{pointer}/{keyword}/{i}", branch))
                        _collect(branch, f"{pointer}/{keyword}/{i}", column_prefix, subschemas, properties)


_BRANCHES = frozenset({"anyOf", "oneOf", "allOf"})


def label(pointer: str) -> str:
    """What a person calls the node at `pointer`: '/properties/cart/properties/items/items' ->
    'cart.items[]'; anyOf/oneOf/allOf branches are left out. '' -> 'the event'."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    out = ""
    i = 0
    while i < len(parts):
        part = parts[i]
        if part == "properties" and i + 1 < len(parts):
            out += ("." if out else "") + parts[i + 1]
            i += 2
        elif part == "items":
            out += "[]"
            i += 2 if i + 1 < len(parts) and parts[i + 1].isdigit() else 1
        elif part in _BRANCHES and i + 1 < len(parts):
            i += 2
        else:
            out += ("." if out else "") + part
            i += 1
    return out or "the event"


def types_of(node: dict[str, Any]) -> list[str] | None:
    """The `type` keyword as a list of strings; None when absent or malformed."""
    value = node.get("type")
    if value.__class__ is str:
        return [value]
    if value.__class__ is list:
        return [t for t in value if t.__class__ is str]
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

    def __init__(self, ctx: LintContext, options: dict[str, Any]) -> None:
        self.ctx = ctx
        self.opts = {**self.options, **options}

    def check(self, target: Target) -> Iterable[Violation]:  # pragma: no cover - overridden
        return ()

    def check_versions(self, targets: list[Target]) -> Iterable[tuple[Target, Violation]]:  # pragma: no cover
        return ()
