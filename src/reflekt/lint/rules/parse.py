"""Files that cannot be linted at all."""

from __future__ import annotations

from reflekt.lint.rule import Rule


class InvalidJson(Rule):
    """Schema file is not valid JSON, not UTF-8, or not a JSON object.

    What it does:
        Reports a schema file that cannot be parsed, at the line and column where parsing stopped.
        The file is not checked by any other rule; the rest of the project still is.

    Why is this bad?
        Every tool that reads the schema (registries, dbt builds, collectors) fails on it.

    Example:
        {"type": "object", "properties": {"cart_id": {"type": "string"},}}

    Use instead:
        {"type": "object", "properties": {"cart_id": {"type": "string"}}}

    Options:
        None. This rule cannot be disabled (a file that cannot be read cannot be linted).
    """

    code = "PA01"
    name = "invalid-json"
