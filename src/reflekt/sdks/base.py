"""The SDK layout protocol, the plan it produces, and the lazy table of layouts.

A layout turns selected schemas plus the introspected raw tables into `ModelPlan`s: which table each
model reads, which raw columns it keeps and under which names, and what is worth a warning. It knows
nothing about dbt files; builders render plans.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Protocol

from reflekt.errors import UsageError
from reflekt.schema import EventSchema
from reflekt.warehouses.base import Column

# --sdk value -> "module:Class"
SDKS: dict[str, str] = {
    "segment": "reflekt.sdks.segment:SegmentLayout",
}


@dataclass(frozen=True)
class VersionColumn:
    """A raw column stating each row's event version as a MAJOR (Segment Protocols' `event_version`)."""

    name: str  # exactly as stored
    is_text: bool = False  # loaded as text: compared with '2' rather than 2


@dataclass(frozen=True)
class VersionFilter:
    """Which rows a per-version model keeps: one major, or every row of none of `excludes` (NULL included)."""

    column: VersionColumn
    equals: int | None = None
    excludes: tuple[int, ...] = ()


@dataclass(frozen=True)
class OutputColumn:
    """One select-list item: a raw column renamed to `name`, or a text literal (`raw` is None).

    A literal with `cases` depends on the row: `case <switch> when major then text ... else literal end`.
    """

    name: str
    description: str = ""
    raw: str | None = None
    literal: str | None = None
    required: bool = False  # the schema requires it (-> not_null when schema_tests is on)
    enum: tuple[str, ...] = ()  # accepted values from the schema
    switch: VersionColumn | None = None
    cases: tuple[tuple[int, str], ...] = ()  # (major, text) in major order


@dataclass
class ModelPlan:
    entity: str  # model entity name: 'cart_viewed', 'cart_viewed__v2_0', 'identifies'
    table: str  # raw table name exactly as stored
    description: str
    columns: list[OutputColumn]
    schema: EventSchema | None = None  # the schema modelled (a union-of-versions model: the latest version)
    union_of: list[str] = field(default_factory=list)  # a union-of-versions model: the version models it covers
    rows: VersionFilter | None = None  # a per-version model: only the rows of its major
    # (raw column, text): only rows whose column holds exactly this text ('Page - Home' -> name = 'Home')
    row_match: tuple[str, str] | None = None


@dataclass
class LayoutResult:
    models: list[ModelPlan] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    warnings: list[str] = field(default_factory=list)


class SdkLayout(Protocol):
    name: str

    def plan(
        self,
        schemas: list[EventSchema],
        tables: dict[str, list[Column]],
        *,
        source_schema: str,
        union_versions: bool,
    ) -> LayoutResult: ...


def get_sdk(name: str) -> SdkLayout:
    target = SDKS.get(name)
    if target is None:
        raise UsageError(f"unknown --sdk '{name}'", hint="known SDKs: " + ", ".join(sorted(SDKS)))
    module_name, class_name = target.split(":")
    cls: Any = getattr(importlib.import_module(module_name), class_name)
    return cls()
