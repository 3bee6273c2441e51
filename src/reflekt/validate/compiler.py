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
    from referencing.jsonschema import specification_with

    def offline(uri: str) -> Any:
        raise NoSuchResource(ref=uri)

    registry: Registry = Registry(retrieve=offline)
    specification = specification_with(cls.META_SCHEMA["$schema"])
    resolver = registry.resolver_with_root(specification.create_resource(schema))
    try:
        # jsonschema resolves refs lazily, mid-validation; jsonschema-rs at compile time. Resolve
        # them all now so a dangling or remote $ref fails here, as the same ValueError.
        _resolve_refs(schema, resolver, specification)
    except Unresolvable as exc:
        raise ValueError(f"unresolvable $ref: {exc}") from None
    except RecursionError:
        raise ValueError("the schema is nested too deeply to resolve its $refs") from None
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER, registry=registry)

    def errors(payload: Any) -> list[Violation]:
        return list(_from_py(validator.iter_errors(payload)))

    return CompiledSchema(validator.is_valid, errors, "jsonschema")


# Keywords whose values are data, not subschemas: a "$ref" key inside them is not a reference.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})
# Keywords whose values map names to subschemas: a property named "$ref" is not a reference.
_NAMED_SUBSCHEMAS = frozenset(
    {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"}
)


def _resolve_refs(node: Any, resolver: Any, specification: Any) -> None:
    """Look up every `$ref` under `node`, entering the base URI of each subschema with an `$id`."""
    if isinstance(node, list):
        for item in node:
            _resolve_refs(item, resolver, specification)
        return
    if not isinstance(node, dict):
        return
    if isinstance(specification.id_of(node), str):
        resolver = resolver.in_subresource(specification.create_resource(node))
    ref = node.get("$ref")
    if isinstance(ref, str):
        resolver.lookup(ref)
    for key, value in node.items():
        if key in _DATA_KEYWORDS:
            continue
        if key in _NAMED_SUBSCHEMAS and isinstance(value, dict):
            for sub in value.values():
                _resolve_refs(sub, resolver, specification)
        else:
            _resolve_refs(value, resolver, specification)


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
