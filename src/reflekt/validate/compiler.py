"""Compile an event schema once into a fast validator.

jsonschema-rs (the `fast` extra) is preferred; the pure-python `jsonschema` is the fallback so a
plain install still validates. Both backends answer the same two questions: `is_valid(payload)`
on the hot path, and `errors(payload)` only for the payloads that failed it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# Reflekt keys that are not JSON Schema keywords; dropped so no backend tries to resolve them.
_NON_KEYWORDS = ("self", "metadata")
_DRAFTS = {
    "http://json-schema.org/draft-04/schema": "Draft4",
    "http://json-schema.org/draft-06/schema": "Draft6",
    "http://json-schema.org/draft-07/schema": "Draft7",
    "https://json-schema.org/draft/2019-09/schema": "Draft201909",
    "https://json-schema.org/draft/2020-12/schema": "Draft202012",
}


@dataclass(frozen=True)
class Violation:
    """One problem in one payload. `property` is a '/'-joined path ('' = the payload itself)."""

    property: str
    keyword: str
    message: str


@dataclass
class CompiledSchema:
    is_valid: Callable[[Any], bool]
    errors: Callable[[Any], list[Violation]]
    backend: str


def _draft_name(schema: dict[str, Any]) -> str:
    uri = str(schema.get("$schema", "")).rstrip("#")
    # Iglu schemas point $schema at the self-describing meta-schema: they are draft 4 underneath.
    if "iglucentral.com" in uri or "com.snowplowanalytics.self-desc" in uri:
        return "Draft4"
    return _DRAFTS.get(uri, "Draft7")


def _clean(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy without Reflekt-only keys; a relative `$id` (a path under schemas/) is not a base URI."""
    cleaned = {k: v for k, v in schema.items() if k not in _NON_KEYWORDS and k != "$schema"}
    schema_id = cleaned.get("$id")
    if isinstance(schema_id, str) and "://" not in schema_id:
        cleaned.pop("$id")
    return cleaned


def _no_network(uri: str) -> Any:
    raise ValueError(f"remote $ref {uri!r} is not fetched: reflekt validate works offline")


def compile_schema(schema: dict[str, Any], *, prefer: str = "auto") -> CompiledSchema:
    """Compile once; raise ValueError with the backend's reason when the schema itself is invalid."""
    draft = _draft_name(schema)
    cleaned = _clean(schema)
    if prefer in ("auto", "rs"):
        try:
            import jsonschema_rs
        except ImportError:
            if prefer == "rs":
                raise
        else:
            return _compile_rs(jsonschema_rs, cleaned, draft)
    return _compile_py(cleaned, draft)


def _compile_rs(jsonschema_rs: Any, schema: dict[str, Any], draft: str) -> CompiledSchema:
    cls = getattr(jsonschema_rs, f"{draft}Validator")
    try:
        validator = cls(schema, validate_formats=True, retriever=_no_network)
    except (jsonschema_rs.ValidationError, ValueError, TypeError) as exc:
        raise ValueError(str(exc).splitlines()[0]) from None

    def errors(payload: Any) -> list[Violation]:
        return [_from_rs(e) for e in validator.iter_errors(payload)]

    return CompiledSchema(validator.is_valid, errors, "jsonschema-rs")


def _from_rs(error: Any) -> Violation:
    keyword = str(error.schema_path[-1]) if error.schema_path else type(error.kind).__name__
    path = [_segment(p) for p in error.instance_path]
    if keyword == "required":
        path.append(str(error.kind.property))
    elif keyword == "additionalProperties":
        unexpected = list(error.kind.unexpected)
        path.append(str(unexpected[0]) if len(unexpected) == 1 else "*")
    return Violation("/".join(path), keyword, error.message)


def _compile_py(schema: dict[str, Any], draft: str) -> CompiledSchema:
    import jsonschema
    from jsonschema import exceptions

    cls = getattr(jsonschema, f"{draft}Validator")
    try:
        cls.check_schema(schema)
    except exceptions.SchemaError as exc:
        raise ValueError(exc.message) from None
    from referencing import Registry
    from referencing.exceptions import NoSuchResource, Unresolvable

    def offline(uri: str) -> Any:
        raise NoSuchResource(ref=uri)

    validator = cls(schema, format_checker=cls.FORMAT_CHECKER, registry=Registry(retrieve=offline))

    def is_valid(payload: Any) -> bool:
        try:
            return validator.is_valid(payload)
        except Unresolvable as exc:  # refs resolve lazily here; same failure as jsonschema-rs at compile
            raise ValueError(f"unresolvable $ref: {exc}") from None

    def errors(payload: Any) -> list[Violation]:
        return list(_from_py(validator.iter_errors(payload)))

    return CompiledSchema(is_valid, errors, "jsonschema")


def _from_py(errors: Iterator[Any]) -> Iterator[Violation]:
    for error in errors:
        path = [_segment(p) for p in error.absolute_path]
        keyword = str(error.validator)
        if keyword == "required" and isinstance(error.instance, dict):
            # one error per missing property; the message names it first
            missing = [r for r in error.validator_value if error.message.startswith(repr(r))]
            path.append(str(missing[0]) if missing else "*")
        elif keyword == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set((error.schema or {}).get("properties", {}))
            extra = [k for k in error.instance if k not in allowed]
            path.append(str(extra[0]) if len(extra) == 1 else "*")
        yield Violation("/".join(path), keyword, error.message)


def _segment(part: Any) -> str:
    """Array indexes become '*': 'products/*/sku' groups the same mistake in every item."""
    return "*" if isinstance(part, int) else str(part)
