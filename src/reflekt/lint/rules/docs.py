"""Descriptions: what makes a tracking plan readable by the people who query it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reflekt.lint.rule import Rule, Target, Violation


def _blank(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip()


class EventDescriptionMissing(Rule):
    """Event schema has no description.

    What it does:
        Reports a schema whose top-level `description` is missing, not a string, or blank.

    Why is this bad?
        The description becomes the dbt model description; without it nobody knows when the
        event fires.

    Example:
        {"self": {...}, "type": "object", "properties": {...}}

    Use instead:
        {"description": "Fires when a user views their cart.", ...}

    Options:
        None.
    """

    code = "DC01"
    name = "event-description-missing"

    def check(self, target: Target) -> Iterable[Violation]:
        if _blank(target.schema.data.get("description")):
            yield Violation("", "event has no description")


class PropertyDescriptionMissing(Rule):
    """Property has no description.

    What it does:
        Reports every property (nested objects and array-item objects included) whose
        `description` is missing or blank.

    Why is this bad?
        Property descriptions become dbt column docs; undocumented columns get misused.

    Example:
        "cart_id": {"type": "string"}

    Use instead:
        "cart_id": {"type": "string", "description": "Id of the cart."}

    Options:
        None.
    """

    code = "DC02"
    name = "property-description-missing"

    def check(self, target: Target) -> Iterable[Violation]:
        for prop in target.properties:
            if _blank(prop.node.get("description")):
                yield Violation(prop.pointer, f"property '{prop.name}' has no description")
