"""Names of events and properties: casing, digits, reserved words, spelling collisions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from reflekt.lint.casing import EXAMPLES, matches_casing
from reflekt.lint.rule import Rule, Severity, Target, Violation

_DIGIT = re.compile(r"[0-9]")


class EventNameCasing(Rule):
    """Event name does not follow `schemas.conventions.event.casing`.

    What it does:
        Checks the event name (`self.name`, else the event folder) against the configured casing.
        Casings are regular expressions, documented in docs/lint.md: title = words of
        `[A-Z][a-z0-9]*`, acronyms `[A-Z][A-Z0-9]+` or numbers, single spaces between them
        ("Cart Viewed", "URL Opened"); snake, camel and pascal likewise. `any` disables the check.

    Why is this bad?
        Mixed casings split one event into several tables and make names unsearchable.

    Example:
        casing: title, event "cart viewed" or "CartViewed"

    Use instead:
        "Cart Viewed"

    Options:
        allowed_words (list, default []): words accepted verbatim, e.g. [iOS, eBay].
    """

    code = "NM01"
    name = "event-name-casing"
    options: ClassVar[dict[str, Any]] = {"allowed_words": []}

    def check(self, target: Target) -> Iterable[Violation]:
        casing = self.ctx.conventions.event.casing
        name = target.schema.name
        if not matches_casing(name, casing, frozenset(self.opts["allowed_words"])):
            pointer = "/self/name" if target.schema.self_block.get("name") else ""
            yield Violation(pointer, f"event name '{name}' is not {casing} case (e.g. '{EXAMPLES[casing]}')")


class PropertyNameCasing(Rule):
    """Property name does not follow `schemas.conventions.property.casing`.

    What it does:
        Checks every property name, including properties of nested objects and of array items,
        against the configured casing: snake `^[a-z][a-z0-9]*(_[a-z0-9]+)*$` ("cart_id",
        "item2"), camel `^[a-z][a-z0-9]*([A-Z][a-z0-9]*)*$` ("cartId", "cartID"), pascal, title.

    Why is this bad?
        Columns built from mixed casings collide or need quoting in every warehouse query.

    Example:
        casing: snake, property "cartId"

    Use instead:
        "cart_id"

    Options:
        allowed_words (list, default []): words accepted verbatim, e.g. [iOS].
    """

    code = "NM02"
    name = "property-name-casing"
    options: ClassVar[dict[str, Any]] = {"allowed_words": []}

    def check(self, target: Target) -> Iterable[Violation]:
        casing = self.ctx.conventions.property.casing
        if casing == "any":
            return
        allowed = frozenset(self.opts["allowed_words"])
        for prop in target.properties:
            if not matches_casing(prop.name, casing, allowed):
                yield Violation(prop.pointer, f"property '{prop.name}' is not {casing} case "
                                f"(e.g. '{EXAMPLES[casing]}')")


class DigitInName(Rule):
    """Event or property name contains a digit while the conventions set `numbers: false`.

    What it does:
        With `numbers: false` under `schemas.conventions.event` (or `.property`), any digit
        0-9 in the name is reported. With `numbers: true` digits are allowed.

    Why is this bad?
        Numbered names ("Step 2 Viewed", "item2") usually encode data in the name; the number
        belongs in a property.

    Example:
        numbers: false, event "Checkout Step 2 Viewed"

    Use instead:
        "Checkout Step Viewed" with a property "step": 2

    Options:
        None (configured by `numbers` in schemas.conventions).
    """

    code = "NM03"
    name = "digit-in-name"

    def check(self, target: Target) -> Iterable[Violation]:
        conventions = self.ctx.conventions
        if not conventions.event.numbers and _DIGIT.search(target.schema.name):
            pointer = "/self/name" if target.schema.self_block.get("name") else ""
            yield Violation(pointer, f"event name '{target.schema.name}' contains a digit (numbers: false)")
        if not conventions.property.numbers:
            for prop in target.properties:
                if _DIGIT.search(prop.name):
                    yield Violation(prop.pointer, f"property '{prop.name}' contains a digit (numbers: false)")


class ReservedName(Rule):
    """Event or property name is listed in the conventions' `reserved` names.

    What it does:
        Compares the event name with `schemas.conventions.event.reserved` and every property
        name with `schemas.conventions.property.reserved`, ignoring case.

    Why is this bad?
        Reserved names clash with fields the collector or warehouse loader adds itself
        (e.g. Segment's `timestamp`, `event`), overwriting or shadowing them.

    Example:
        reserved: [timestamp], property "Timestamp"

    Use instead:
        "ordered_at"

    Options:
        None (configured by `reserved` in schemas.conventions).
    """

    code = "NM04"
    name = "reserved-name"

    def check(self, target: Target) -> Iterable[Violation]:
        conventions = self.ctx.conventions
        reserved_events = {r.lower() for r in conventions.event.reserved}
        if target.schema.name.lower() in reserved_events:
            pointer = "/self/name" if target.schema.self_block.get("name") else ""
            yield Violation(pointer, f"event name '{target.schema.name}' is reserved")
        reserved_props = {r.lower() for r in conventions.property.reserved}
        if reserved_props:
            for prop in target.properties:
                if prop.name.lower() in reserved_props:
                    yield Violation(prop.pointer, f"property '{prop.name}' is reserved")


class EventNameCaseCollision(Rule):
    """Two event folders spell the same event name differently.

    What it does:
        Normalizes event folder names (lowercase, letters and digits only) across the whole
        project and reports events whose names differ only in casing or separators, e.g.
        "Cart Viewed" in one folder and "cart_viewed" or "CartViewed" in another.

    Why is this bad?
        They land in tables that differ only in case (or the same table), and analysts cannot
        tell which is current.

    Example:
        schemas/web/Cart Viewed/1-0.json and schemas/app/cart_viewed/1-0.json

    Use instead:
        One spelling everywhere: schemas/web/Cart Viewed/..., schemas/app/Cart Viewed/...

    Options:
        None.
    """

    code = "NM05"
    name = "event-name-case-collision"
    scope = "project"
    severity = Severity.ERROR

    def check_project(self, schema_ids: list[str]) -> Iterable[tuple[str, Violation]]:
        """(schema id, violation) for the latest file of each colliding event folder."""
        from reflekt.lint.versioning import sort_key

        folders: dict[tuple[str, str], list[str]] = {}
        for schema_id in schema_ids:
            parts = schema_id.split("/")
            if len(parts) < 2:
                continue
            folders.setdefault(("/".join(parts[:-2]), parts[-2]), []).append(schema_id)
        groups: dict[str, set[tuple[str, str]]] = {}
        for folder, event in folders:
            groups.setdefault(_normalize(event), set()).add((folder, event))
        for members in groups.values():
            spellings = {event for _, event in members}
            if len(spellings) < 2:
                continue
            for folder, event in sorted(members):
                others = sorted(f"'{e}' ({f or '.'})" for f, e in members if e != event)
                latest = max(folders[(folder, event)], key=lambda i: sort_key(i, self.ctx.versioning))
                yield latest, Violation("", f"event '{event}' is also spelled {', '.join(others)}")


def _normalize(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())
