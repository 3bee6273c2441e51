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
class OutputColumn:
    """One select-list item: a raw column renamed to `name`, or a text literal (`raw` is None)."""

    name: str
    description: str = ""
    raw: str | None = None
    literal: str | None = None
    required: bool = False  # the schema requires it (-> not_null when schema_tests is on)
    enum: tuple[str, ...] = ()  # accepted values from the schema


@dataclass
class ModelPlan:
    entity: str  # model entity name: 'cart_viewed', 'cart_viewed__v2_0', 'identifies'
    table: str  # raw table name exactly as stored
    description: str
    columns: list[OutputColumn]
    schema: EventSchema | None = None
    union_of: list[str] = field(default_factory=list)  # entities unioned (union-of-versions models)


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
