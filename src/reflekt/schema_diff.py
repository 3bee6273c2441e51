"""What changed between two versions of an event schema, and whether old data still validates.

`diff_schemas(old, new)` walks both schemas side by side (properties, nested objects, array
items) and returns one `Change` per difference. A change is *breaking* when an event that was
valid under `old` may be rejected by `new`; that is the question a MAJOR (SchemaVer: MODEL) bump
answers. Compatible changes widen what is accepted or only touch documentation.

Kinds are stable slugs (they appear in lint output and in `reflekt report`); never rename one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Bump = Literal["major", "minor", "none"]

# Changes that only touch documentation: they need no new version at all.
ANNOTATION_KINDS = frozenset(
    {"description-changed", "title-changed", "examples-changed", "default-changed", "comment-changed"}
)

# Keyword -> (slug, direction). "upper": a smaller value accepts less; "lower": a larger value accepts less.
_BOUNDS = {
    "maximum": ("maximum", "upper"),
    "exclusiveMaximum": ("exclusive-maximum", "upper"),
    "maxLength": ("max-length", "upper"),
    "maxItems": ("max-items", "upper"),
    "maxProperties": ("max-properties", "upper"),
    "minimum": ("minimum", "lower"),
    "exclusiveMinimum": ("exclusive-minimum", "lower"),
    "minLength": ("min-length", "lower"),
    "minItems": ("min-items", "lower"),
    "minProperties": ("min-properties", "lower"),
}
# Keywords whose appearance restricts values and whose removal relaxes them.
_RESTRICTIONS = {"pattern": "pattern", "format": "format", "multipleOf": "multiple-of"}
_ANNOTATIONS = {
    "description": "description-changed",
    "title": "title-changed",
    "examples": "examples-changed",
    "default": "default-changed",
    "$comment": "comment-changed",
}
_COMPOSITIONS = ("anyOf", "oneOf", "allOf", "not", "if", "then", "else", "$ref")
_ALL_TYPES = frozenset({"string", "integer", "number", "boolean", "object", "array", "null"})


@dataclass(frozen=True)
class Change:
    """One difference between two schema versions."""

    kind: str  # stable slug, e.g. "property-removed"
    path: str  # JSON pointer of the property in the new (or, when removed, old) schema; "" = the event
    breaking: bool  # old events may fail the new schema
    message: str  # one human sentence


def diff_schemas(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from `old` to `new`, in a stable order (document order of the walk)."""
    changes: list[Change] = []
    _diff_node(_as_dict(old), _as_dict(new), "", changes)
    return changes


def required_bump(changes: Iterable[Change]) -> Bump:
    """The smallest bump that describes `changes`: major if any breaks old data, minor if any
    changes what is accepted, none when only documentation changed (or nothing did)."""
    bump: Bump = "none"
    for change in changes:
        if change.breaking:
            return "major"
        if change.kind not in ANNOTATION_KINDS:
            bump = "minor"
    return bump


# --- the walk -------------------------------------------------------------------------------


def _diff_node(old: dict[str, Any], new: dict[str, Any], path: str, out: list[Change]) -> None:
    if old == new:  # most of a schema is unchanged between versions; dict equality runs in C
        return
    where = _describe(path)
    _diff_annotations(old, new, path, where, out)
    _diff_types(old, new, path, where, out)
    _diff_enum(old, new, path, where, out)
    _diff_bounds(old, new, path, where, out)
    _diff_restrictions(old, new, path, where, out)
    _diff_unique_items(old, new, path, where, out)
    _diff_compositions(old, new, path, where, out)
    _diff_properties(old, new, path, out)
    _diff_additional_properties(old, new, path, where, out)
    _diff_items(old, new, path, out)


def _diff_annotations(old: dict, new: dict, path: str, where: str, out: list[Change]) -> None:
    for keyword, kind in _ANNOTATIONS.items():
        if old.get(keyword) != new.get(keyword):
            out.append(Change(kind, path, False, f"{keyword} of {where} changed"))


def _diff_types(old: dict, new: dict, path: str, where: str, out: list[Change]) -> None:
    old_types, new_types = _types(old), _types(new)
    if old_types == new_types:
        return
    old_covers_new = all(_covered(t, old_types) for t in new_types)
    new_covers_old = all(_covered(t, new_types) for t in old_types)
    before, after = _fmt_types(old_types), _fmt_types(new_types)
    if old_covers_new and new_covers_old:
        return  # e.g. ["number", "integer"] -> "number": same values accepted
    if new_covers_old:
        out.append(Change("type-widened", path, False, f"type of {where} widened from {before} to {after}"))
    elif old_covers_new:
        out.append(
            Change("type-narrowed", path, True, f"type of {where} narrowed from {before} to {after}: "
                   f"old events with {_fmt_types(old_types - new_types - _implied(new_types))} values are rejected")
        )
    else:
        out.append(Change("type-changed", path, True, f"type of {where} changed from {before} to {after}"))


def _diff_enum(old: dict, new: dict, path: str, where: str, out: list[Change]) -> None:
    old_values, new_values = _enum_values(old), _enum_values(new)
    if old_values == new_values:
        return
    if old_values is None:
        out.append(Change("enum-added", path, True, f"{where} is now restricted to {_fmt_values(new_values)}"))
    elif new_values is None:
        out.append(Change("enum-removed", path, False, f"{where} is no longer restricted to a list of values"))
    elif new_values > old_values:
        added = _fmt_values(new_values - old_values)
        out.append(Change("enum-widened", path, False, f"{where} accepts new values {added}"))
    else:
        removed = _fmt_values(old_values - new_values)
        out.append(Change("enum-narrowed", path, True, f"{where} no longer accepts {removed}"))


def _diff_bounds(old: dict, new: dict, path: str, where: str, out: list[Change]) -> None:
    for keyword, (slug, direction) in _BOUNDS.items():
        before, after = _number(old.get(keyword)), _number(new.get(keyword))
        if before == after:
            continue
        if before is None:
            tighter = True
        elif after is None:
            tighter = False
        else:
            tighter = after < before if direction == "upper" else after > before
        if tighter:
            text = f"{keyword} {before} -> {after}" if before is not None else f"{keyword} {after} added"
            out.append(Change(f"{slug}-tightened", path, True, f"{where}: {text} rejects values allowed before"))
        else:
            text = f"{keyword} {before} -> {after}" if after is not None else f"{keyword} {before} removed"
            out.append(Change(f"{slug}-loosened", path, False, f"{where}: {text}"))


def _diff_restrictions(old: dict, new: dict, path: str, where: str, out: list[Change]) -> None:
    for keyword, slug in _RESTRICTIONS.items():
        before, after = old.get(keyword), new.get(keyword)
        if before == after:
            continue
        if before is None:
            out.append(Change(f"{slug}-added", path, True, f"{where} gained {keyword} {after!r}"))
        elif after is None:
            out.append(Change(f"{slug}-removed", path, False, f"{where} lost {keyword} {before!r}"))
        else:
            out.append(Change(f"{slug}-changed", path, True, f"{keyword} of {where} changed {before!r} -> {after!r}"))


def _diff_unique_items(old: dict, new: dict, path: str, where: str, out: list[Change]) -> None:
    before, after = old.get("uniqueItems") is True, new.get("uniqueItems") is True
    if before != after:
        if after:
            out.append(Change("unique-items-added", path, True, f"{where} now requires unique items"))
        else:
            out.append(Change("unique-items-removed", path, False, f"{where} no longer requires unique items"))


def _diff_compositions(old: dict, new: dict, path: str, where: str, out: list[Change]) -> None:
    for keyword in _COMPOSITIONS:
        before, after = old.get(keyword), new.get(keyword)
        if before == after:
            continue
        if before is not None and after is None and keyword in ("anyOf", "oneOf", "allOf", "not", "$ref"):
            out.append(Change("composition-removed", path, False, f"{where} dropped its {keyword}"))
        else:
            # Proving subschema containment in general is undecidable-in-practice; assume it breaks.
            out.append(Change("composition-changed", path, True, f"{keyword} of {where} changed; "
                              "reflekt cannot prove old events still validate"))


def _diff_properties(old: dict, new: dict, path: str, out: list[Change]) -> None:
    old_props, new_props = _properties(old), _properties(new)
    old_required, new_required = _required(old), _required(new)
    removed = [name for name in old_props if name not in new_props]
    added = [name for name in new_props if name not in old_props]
    renamed = _match_renames(removed, added, old_props, new_props)
    for old_name, new_name in renamed.items():
        was_required, is_required = old_name in old_required, new_name in new_required
        breaking = was_required or is_required
        reason = " (it was required)" if was_required else " (it is required)" if is_required else ""
        out.append(
            Change("property-renamed", _child(path, new_name), breaking,
                   f"property '{_dotted(path, old_name)}' renamed to '{new_name}'{reason}")
        )
    for name in removed:
        if name in renamed:
            continue
        if name in old_required:
            out.append(Change("required-property-removed", _child(path, name), True,
                              f"required property '{_dotted(path, name)}' removed"))
        else:
            out.append(Change("property-removed", _child(path, name), False,
                              f"optional property '{_dotted(path, name)}' removed"))
    renamed_targets = set(renamed.values())
    for name in added:
        if name in renamed_targets:
            continue
        if name in new_required:
            out.append(Change("required-property-added", _child(path, name), True,
                              f"new property '{_dotted(path, name)}' is required: old events lack it"))
        else:
            out.append(Change("property-added", _child(path, name), False,
                              f"optional property '{_dotted(path, name)}' added"))
    for name in old_props:
        if name not in new_props:
            continue
        child = _child(path, name)
        if name not in old_required and name in new_required:
            out.append(Change("required-added", child, True,
                              f"property '{_dotted(path, name)}' changed from optional to required"))
        elif name in old_required and name not in new_required:
            out.append(Change("required-removed", child, False,
                              f"property '{_dotted(path, name)}' changed from required to optional"))
        _diff_node(_as_dict(old_props[name]), _as_dict(new_props[name]), child, out)


def _diff_additional_properties(old: dict, new: dict, path: str, where: str, out: list[Change]) -> None:
    if "properties" not in old and "properties" not in new and "additionalProperties" not in old \
            and "additionalProperties" not in new:
        return
    before, after = old.get("additionalProperties", True), new.get("additionalProperties", True)
    if before == after or (before in (True, {}) and after in (True, {})):
        return
    if after is True or after == {}:
        out.append(Change("additional-properties-loosened", path, False,
                          f"{where} now accepts properties it does not declare"))
    elif before is False:
        out.append(Change("additional-properties-loosened", path, False,
                          f"{where} now accepts some undeclared properties"))
    elif after is False:
        out.append(Change("additional-properties-tightened", path, True,
                          f"{where} no longer accepts undeclared properties (additionalProperties: false)"))
    else:
        out.append(Change("additional-properties-tightened", path, True,
                          f"{where} restricts undeclared properties more than before"))


def _diff_items(old: dict, new: dict, path: str, out: list[Change]) -> None:
    before, after = old.get("items"), new.get("items")
    if isinstance(before, dict) or isinstance(after, dict):
        if isinstance(before, dict) and isinstance(after, dict):
            _diff_node(before, after, path + "/items", out)
        elif isinstance(after, dict):
            out.append(Change("items-constrained", path + "/items", True,
                              f"items of {_describe(path)} now have a schema"))
        else:
            out.append(Change("items-unconstrained", path + "/items", False,
                              f"items of {_describe(path)} are no longer constrained"))
    elif before != after:
        out.append(Change("items-changed", path + "/items", True, f"items of {_describe(path)} changed"))


# --- helpers --------------------------------------------------------------------------------


def _match_renames(removed: list[str], added: list[str], old_props: dict, new_props: dict) -> dict[str, str]:
    """A removed and an added property with identical definitions (descriptions aside) is a rename."""
    renames: dict[str, str] = {}
    taken: set[str] = set()
    for old_name in removed:
        signature = _signature(old_props[old_name])
        for new_name in added:
            if new_name not in taken and _signature(new_props[new_name]) == signature:
                renames[old_name] = new_name
                taken.add(new_name)
                break
    return renames


def _signature(node: Any) -> str:
    if isinstance(node, dict):
        node = {k: v for k, v in node.items() if k not in _ANNOTATIONS}
    return json.dumps(node, sort_keys=True, default=str)


def _as_dict(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def _properties(node: dict) -> dict[str, Any]:
    props = node.get("properties")
    return props if isinstance(props, dict) else {}


def _required(node: dict) -> set[str]:
    req = node.get("required")
    return {r for r in req if isinstance(r, str)} if isinstance(req, list) else set()


def _types(node: dict) -> frozenset[str]:
    value = node.get("type")
    if isinstance(value, str):
        types = {value}
    elif isinstance(value, list):
        types = {t for t in value if isinstance(t, str)}
    else:
        return _ALL_TYPES  # no type keyword: any value
    if "any" in types:
        return _ALL_TYPES
    if node.get("nullable") is True:  # OpenAPI-style, seen in the wild
        types.add("null")
    return frozenset(types)


def _implied(types: frozenset[str]) -> frozenset[str]:
    return frozenset({"integer"}) if "number" in types else frozenset()


def _covered(type_name: str, types: frozenset[str]) -> bool:
    return type_name in types or (type_name == "integer" and "number" in types)


def _enum_values(node: dict) -> frozenset[str] | None:
    if "const" in node:
        return frozenset({json.dumps(node["const"], sort_keys=True)})
    values = node.get("enum")
    if not isinstance(values, list):
        return None
    return frozenset(json.dumps(v, sort_keys=True) for v in values)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _fmt_types(types: frozenset[str]) -> str:
    if types == _ALL_TYPES:
        return "any"
    return "/".join(sorted(types)) or "nothing"


def _fmt_values(values: frozenset[str] | None) -> str:
    return ", ".join(sorted(values or ()))


def _child(path: str, name: str) -> str:
    return f"{path}/properties/{_escape(name)}"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _dotted(path: str, name: str) -> str:
    """'/properties/cart/properties/id' -> 'cart.id' (what users call a nested property)."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/") if p]
    names = []
    for i, part in enumerate(parts):
        if i > 0 and parts[i - 1] == "properties":
            names.append(part)
        elif part == "items":
            names.append("[]")
    prefix = ".".join(names).replace(".[]", "[]")
    return f"{prefix}.{name}" if prefix else name


def _describe(path: str) -> str:
    if not path:
        return "the event"
    parts = path.rsplit("/properties/", 1)
    if len(parts) == 2 and "/" not in parts[1]:
        return f"property '{_dotted(parts[0], parts[1].replace('~1', '/').replace('~0', '~'))}'"
    return f"'{_dotted(path, '').rstrip('.')}'"
