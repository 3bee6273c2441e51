"""Type hygiene (in the spirit of Snowplow igluctl's lint): types, bounds, formats, nullability."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, ClassVar

from reflekt.lint.rule import Rule, Severity, Target, Violation, label, types_of

_PAIRS = (
    ("minimum", "maximum"),
    ("exclusiveMinimum", "exclusiveMaximum"),
    ("minimum", "exclusiveMaximum"),
    ("exclusiveMinimum", "maximum"),
    ("minLength", "maxLength"),
    ("minItems", "maxItems"),
    ("minProperties", "maxProperties"),
)
# keyword -> the types it constrains
_KEYWORD_TYPES = {
    "minLength": {"string"}, "maxLength": {"string"}, "pattern": {"string"}, "format": {"string"},
    "minimum": {"number", "integer"}, "maximum": {"number", "integer"},
    "exclusiveMinimum": {"number", "integer"}, "exclusiveMaximum": {"number", "integer"},
    "multipleOf": {"number", "integer"},
    "items": {"array"}, "minItems": {"array"}, "maxItems": {"array"}, "uniqueItems": {"array"},
    "contains": {"array"},
    "properties": {"object"}, "required": {"object"}, "additionalProperties": {"object"},
    "patternProperties": {"object"}, "minProperties": {"object"}, "maxProperties": {"object"},
}
_BOUND_KEYS = frozenset(k for pair in _PAIRS for k in pair)
KNOWN_FORMATS = frozenset({
    "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
    "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template",
    "json-pointer", "relative-json-pointer", "regex",
})


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@lru_cache(maxsize=256)
def _forbidden_keywords(types: frozenset[str]) -> frozenset[str]:
    """Keywords that constrain none of `types` (integer and number count as one)."""
    declared = set(types)
    if declared & {"number", "integer"}:
        declared |= {"number", "integer"}
    return frozenset(k for k, applies_to in _KEYWORD_TYPES.items() if not applies_to & declared)


class DisallowedType(Rule):
    """Property type is not one of `schemas.conventions.data_types`.

    What it does:
        Reads `type` as a string or a list (`["string", "null"]`), in properties, nested
        objects, array items and anyOf/oneOf/allOf branches, and reports each type not listed
        in `data_types`. A property without `type` is not reported here.

    Why is this bad?
        The warehouse models and SDKs generated from schemas only handle the agreed types.

    Example:
        data_types: [string, integer, boolean], property {"type": "number"}

    Use instead:
        {"type": "integer"}, or add `number` to data_types

    Options:
        None (configured by `data_types` in schemas.conventions).
    """

    code = "TY01"
    name = "disallowed-type"

    def check(self, target: Target) -> Iterable[Violation]:
        allowed = set(self.ctx.conventions.data_types)
        for pointer, node, types in target.typed_subschemas:
            for type_name in types:
                if type_name not in allowed:
                    yield Violation(f"{pointer}/type", f"type '{type_name}' is not in data_types "
                                    f"({', '.join(self.ctx.conventions.data_types)})")


class InvertedBounds(Rule):
    """A minimum is greater than its maximum, so no value can be valid.

    What it does:
        Compares minimum/maximum (and exclusive forms), minLength/maxLength, minItems/maxItems
        and minProperties/maxProperties on the same subschema.

    Why is this bad?
        Every event carrying the property is rejected.

    Example:
        {"type": "string", "minLength": 10, "maxLength": 5}

    Use instead:
        {"type": "string", "minLength": 5, "maxLength": 10}

    Options:
        None.
    """

    code = "TY02"
    name = "inverted-bounds"

    def check(self, target: Target) -> Iterable[Violation]:
        for pointer, node in [("", target.schema.data), *target.subschemas]:
            if len(_BOUND_KEYS.intersection(node)) < 2:
                continue
            for low_key, high_key in _PAIRS:
                low, high = _number(node.get(low_key)), _number(node.get(high_key))
                if low is None or high is None:
                    continue
                exclusive = low_key.startswith("exclusive") or high_key.startswith("exclusive")
                if low > high or (exclusive and low == high):
                    yield Violation(f"{pointer}/{low_key}", f"{low_key} {low} is greater than {high_key} {high}"
                                    if low > high else f"{low_key} {low} and {high_key} {high} allow no value")


class KeywordTypeMismatch(Rule):
    """A keyword does not apply to the declared type, so it constrains nothing.

    What it does:
        When `type` is declared, reports keywords meant for other types: maxLength on a number,
        minimum on a string, items on an object, properties on an array, format on an integer.

    Why is this bad?
        JSON Schema silently ignores such keywords: the author believes a constraint is enforced
        that is not.

    Example:
        {"type": "integer", "maxLength": 10}

    Use instead:
        {"type": "integer", "maximum": 9999999999}

    Options:
        None.
    """

    code = "TY03"
    name = "keyword-type-mismatch"

    def check(self, target: Target) -> Iterable[Violation]:
        for pointer, node, types in target.typed_subschemas:
            if "any" in types:
                continue
            forbidden = _forbidden_keywords(frozenset(types))
            if forbidden.isdisjoint(node):
                continue
            for keyword in forbidden.intersection(node):
                applies_to = _KEYWORD_TYPES[keyword]
                yield Violation(f"{pointer}/{keyword}", f"'{keyword}' has no effect on type "
                                f"{'/'.join(types)}: it only applies to {'/'.join(sorted(applies_to))}")


class UnknownFormat(Rule):
    """`format` is not a format that validators know.

    What it does:
        Reports `format` values outside the JSON Schema formats (date-time, date, time,
        duration, email, hostname, ipv4, ipv6, uri, uri-reference, uuid, regex, ...).

    Why is this bad?
        Validators ignore unknown formats: the value is not checked at all (often a typo such
        as "datetime").

    Example:
        {"type": "string", "format": "datetime"}

    Use instead:
        {"type": "string", "format": "date-time"}

    Options:
        extra_formats (list, default []): custom formats your validators support.
    """

    code = "TY04"
    name = "unknown-format"
    options: ClassVar[dict[str, Any]] = {"extra_formats": []}

    def check(self, target: Target) -> Iterable[Violation]:
        known = KNOWN_FORMATS | set(self.opts["extra_formats"])
        for pointer, node in target.subschemas:
            value = node.get("format")
            if isinstance(value, str) and value not in known:  # a non-string format is SC02's finding
                yield Violation(f"{pointer}/format", f"unknown format {value!r}")


class UnboundedString(Rule):
    """String property has no maxLength, enum, const or format.

    What it does:
        Reports string-typed subschemas that accept strings of any length.

    Why is this bad?
        Warehouses size VARCHAR columns from maxLength (Redshift truncates or fails at 65535);
        unbounded free text is also where personal data slips in.

    Example:
        "coupon": {"type": "string"}

    Use instead:
        "coupon": {"type": "string", "maxLength": 64}

    Options:
        None.
    """

    code = "TY05"
    name = "unbounded-string"
    severity = Severity.WARNING

    def check(self, target: Target) -> Iterable[Violation]:
        for pointer, node, types in target.typed_subschemas:
            if "string" not in types:
                continue
            if not any(k in node for k in ("maxLength", "enum", "const", "format")):
                yield Violation(pointer, f"string '{label(pointer)}' has no maxLength, enum or format")


class OptionalNotNullable(Rule):
    """Optional property does not accept null.

    What it does:
        Reports properties not listed in `required` whose `type` does not include "null".

    Why is this bad?
        Many SDKs send null for unset optional fields; such events then fail validation.

    Example:
        "coupon": {"type": "string"} (not required)

    Use instead:
        "coupon": {"type": ["string", "null"]}

    Options:
        None.
    """

    code = "TY06"
    name = "optional-not-nullable"
    severity = Severity.INFO

    def check(self, target: Target) -> Iterable[Violation]:
        for prop in target.properties:
            types = types_of(prop.node)
            if prop.required or not types or "null" in types or "any" in types:
                continue
            yield Violation(prop.pointer, f"optional property '{prop.name}' does not allow null")

