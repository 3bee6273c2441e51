"""Compiled JSON Schema validators: jsonschema-rs when installed (fast), python jsonschema otherwise.

Both are compiled once per lint run (per worker process) and return (JSON pointer, message) pairs.
"""

from __future__ import annotations

from typing import Any

from reflekt.jsonpos import escape

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
# $schema URL (without a trailing '#', scheme-insensitive) -> canonical draft URL
DRAFTS = {
    "json-schema.org/draft-04/schema": "http://json-schema.org/draft-04/schema#",
    "json-schema.org/draft-06/schema": "http://json-schema.org/draft-06/schema#",
    "json-schema.org/draft-07/schema": DRAFT_07,
    "json-schema.org/draft/2019-09/schema": "https://json-schema.org/draft/2019-09/schema",
    "json-schema.org/draft/2020-12/schema": "https://json-schema.org/draft/2020-12/schema",
    # Snowplow's self-describing meta-schema extends draft-04 (every Iglu schema names it)
    "iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0":
        "http://json-schema.org/draft-04/schema#",
}
MAX_ERRORS = 20  # per schema and validator: the first ones are what a person fixes first

try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - exercised when the fast extra is absent
    jsonschema_rs = None


def canonical_draft(url: Any) -> str | None:
    """The draft a `$schema` names; None when unknown. A missing `$schema` means draft-07."""
    if url is None:
        return DRAFT_07
    if not isinstance(url, str):
        return None
    key = url.split("://", 1)[-1].rstrip("#")
    return DRAFTS.get(key)


def refuse_remote_ref(uri: str) -> Any:
    """Reflekt never fetches a `$ref` over the network (or from a file outside the schema):
    lint runs in CI and pre-commit, offline and sandboxed, and must give the same answer there."""
    raise ValueError(
        f"$ref {uri!r} points outside this document; reflekt does not fetch remote references "
        "(copy the definition into `definitions` and use a local '#/definitions/...' $ref)"
    )


def offline_registry() -> Any:
    from referencing import Registry

    return Registry(retrieve=refuse_remote_ref)  # type: ignore[call-arg]


def unresolvable_error() -> type[Exception]:
    """python-jsonschema resolves $refs lazily, while validating; jsonschema-rs when compiling."""
    try:
        from referencing.exceptions import Unresolvable
    except ImportError:  # pragma: no cover - referencing comes with jsonschema
        return ValueError
    return Unresolvable


def _pointer(parts: Any) -> str:
    return "".join("/" + escape(str(p)) for p in parts)


class CompiledSchema:
    """A schema compiled for repeated validation."""

    def __init__(self, schema: dict[str, Any]) -> None:
        if jsonschema_rs is not None:
            self._rs = jsonschema_rs.validator_for(
                schema, validate_formats=False, retriever=refuse_remote_ref  # formats annotate
            )
            self._py = None
        else:
            from jsonschema.validators import validator_for

            cls = validator_for(schema)
            cls.check_schema(schema)
            self._rs = None
            self._py = cls(schema, registry=offline_registry())

    def errors(self, instance: Any) -> list[tuple[str, str]]:
        try:
            return self._errors(instance)
        except (ValueError, RecursionError, unresolvable_error()) as exc:  # deep nesting; a $ref we won't fetch
            return [("", f"cannot be validated: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")]

    def _errors(self, instance: Any) -> list[tuple[str, str]]:
        if self._rs is not None:
            if self._rs.is_valid(instance):
                return []
            found = []
            for error in self._rs.iter_errors(instance):
                found.append((_pointer(error.instance_path), error.message))
                if len(found) >= MAX_ERRORS:
                    break
            return found
        found = []
        for error in self._py.iter_errors(instance):
            found.append((_pointer(error.absolute_path), error.message))
            if len(found) >= MAX_ERRORS:
                break
        return found


def compile_schema(schema: dict[str, Any]) -> CompiledSchema:
    """Raises ValueError with the engine's message when `schema` is not a usable JSON Schema."""
    try:
        return CompiledSchema(schema)
    except Exception as exc:  # noqa: BLE001 - both engines raise their own types for an invalid schema
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # jsonschema-rs wraps our refusal: "Resource 'x' is not present ... failed: ValueError: <ours>"
        message = message.split("ValueError: ", 1)[-1] if "reflekt does not fetch" in message else message
        raise ValueError(message) from None


class DraftValidators:
    """One compiled meta-schema per JSON Schema draft, built on first use."""

    def __init__(self) -> None:
        self._compiled: dict[str, CompiledSchema] = {}

    def for_draft(self, draft: str) -> CompiledSchema:
        compiled = self._compiled.get(draft)
        if compiled is None:
            if jsonschema_rs is not None:
                compiled = CompiledSchema({"$schema": draft, "allOf": [{"$ref": draft}]})
            else:
                from jsonschema.validators import validator_for

                compiled = CompiledSchema(validator_for({"$schema": draft}).META_SCHEMA)
            self._compiled[draft] = compiled
        return compiled
