"""Turn pydantic validation errors into one precise `file:line:col: message` with a hint."""

from __future__ import annotations

import difflib
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reflekt.errors import ConfigError
from reflekt.yamlfile import YamlDocument

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_document(model: type[ModelT], doc: YamlDocument, data: Any, *, what: str) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise config_error_from(exc, model, doc, what=what) from None


def config_error_from(
    exc: ValidationError, model: type[BaseModel], doc: YamlDocument, *, what: str, prefix: tuple = ()
) -> ConfigError:
    first = _most_useful(exc.errors())
    raw_loc = tuple(first["loc"])
    # pydantic adds union tags ('postgres', 'function-after[...]') to loc; keep only what the user wrote
    user_loc, model_for_parent = _walk(model, _data_at(doc.data, prefix), raw_loc)
    loc = prefix + user_loc
    kind = first["type"]
    # a wrong value points at the value; an unknown or missing key at the key (or its parent)
    pointing_at_value = kind not in ("extra_forbidden", "missing", "union_tag_not_found", "union_tag_invalid")
    line_col = doc.value_position(loc) if pointing_at_value else doc.position(loc)
    if first["type"] == "missing" and raw_loc and isinstance(raw_loc[-1], str):
        loc = loc + (raw_loc[-1],)  # the missing key is not in the data, so the walk dropped it
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    hint = None
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _field_names(model_for_parent)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        message = f"unknown key '{key}' in {what}"
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif allowed:
            hint = "allowed keys here: " + ", ".join(sorted(allowed))
    elif kind == "missing":
        message = f"missing required key '{dotted}' in {what}"
        hint = "add it; see the README section on configuration"
    elif kind in ("literal_error", "enum", "union_tag_invalid"):
        ctx = first.get("ctx", {})
        expected = ctx.get("expected_tags") or ctx.get("expected", "")
        value = ctx.get("tag", first.get("input"))
        message = f"invalid value for '{dotted}': {value!r}"
        if kind == "union_tag_invalid":
            message = f"unknown type {value!r} at '{dotted}'"
        options = [o.strip(" '\"") for o in str(expected).replace(" or ", ",").split(",") if o.strip()]
        hint = f"expected one of: {', '.join(options)}" if options else None
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        if close:
            hint = f"did you mean '{close[0]}'? ({hint})"
    elif kind == "union_tag_not_found":
        message = f"missing 'type' at '{dotted}' in {what}"
        hint = "every registry and source entry needs a `type:`"
    elif kind in ("model_type", "model_attributes_type"):
        # pydantic's text names our class ("instance of SchemasConfig"); users wrote YAML
        message = f"invalid value for '{dotted}': expected a mapping, got {type(first.get('input')).__name__}"
        hint = _TYPE_HINTS["dict_type"]
    else:
        message = f"invalid value for '{dotted}': {first['msg'].removeprefix('Value error, ')}"
        hint = _TYPE_HINTS.get(kind, "see docs/configuration.md for the allowed values")
    return ConfigError(
        message,
        hint=hint,
        path=doc.path,
        line=line_col[0] if line_col else None,
        col=line_col[1] if line_col else None,
    )


_TYPE_HINTS = {
    "bool_type": "use true or false",
    "bool_parsing": "use true or false",
    "list_type": "write a YAML list, e.g. [a, b] or one `- item` per line",
    "dict_type": "write a mapping of `key: value` lines",
    "string_type": "use a text value (quote it if YAML reads it as something else)",
    "int_type": "use a whole number",
    "int_parsing": "use a whole number",
    "float_parsing": "use a number",
    "float_type": "use a number",
}


def _data_at(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _walk(model: Any, data: Any, raw_loc: tuple) -> tuple[tuple, Any]:
    """Follow raw_loc through data and model; return (user-visible loc, model owning the last key)."""
    user_loc: list[Any] = []
    current_model: Any = model
    parent_model: Any = model
    for part in raw_loc:
        in_data = (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and part < len(data)
        )
        if not in_data and isinstance(data, dict) and isinstance(part, str):
            # a union tag or validator name: choose the union member, but do not show it
            current_model = _pick_member(current_model, part)
            continue
        user_loc.append(part)
        parent_model = current_model
        if isinstance(part, str):
            current_model = _field_model(current_model, part)
        data = data[part] if in_data else None
    # for extra_forbidden the last key is unknown: its parent model lists the allowed keys
    return tuple(user_loc), parent_model


def _field_model(model: Any, key: str) -> Any:
    fields = getattr(_as_model(model), "model_fields", {})
    field = fields.get(key) or next((f for f in fields.values() if f.alias == key), None)
    return field.annotation if field is not None else None


def _as_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _as_model(arg)
        if found is not None:
            return found
    return None


def _pick_member(annotation: Any, tag: str) -> Any:
    for member in _members(annotation):
        type_field = member.model_fields.get("type")
        if type_field is not None and tag in typing.get_args(type_field.annotation):
            return member
    return annotation


def _members(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_members(arg))
    return found


def _field_names(annotation: Any) -> list[str]:
    model = _as_model(annotation)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _most_useful(errors: list[dict]) -> dict:
    # unknown keys and bad enum values say more than a generic type error on the parent
    for kind in ("extra_forbidden", "union_tag_invalid", "literal_error", "enum", "missing"):
        for error in errors:
            if error["type"] == kind:
                return error
    return errors[0]
