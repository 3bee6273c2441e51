"""The one table of lint rules: code -> "module:Class", imported lazily. Codes are never reused."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reflekt.lint.rule import Rule

_R = "reflekt.lint.rules."
RULES: dict[str, str] = {
    "PA01": _R + "parse:InvalidJson",
    "NM01": _R + "naming:EventNameCasing",
    "NM02": _R + "naming:PropertyNameCasing",
    "NM03": _R + "naming:DigitInName",
    "NM04": _R + "naming:ReservedName",
    "NM05": _R + "naming:EventNameCaseCollision",
    "DC01": _R + "docs:EventDescriptionMissing",
    "DC02": _R + "docs:PropertyDescriptionMissing",
    "SC01": _R + "structure:MetaSchemaViolation",
    "SC02": _R + "structure:InvalidJsonSchema",
    "SC03": _R + "structure:RequiredPropertyUndefined",
    "TY01": _R + "types:DisallowedType",
    "TY02": _R + "types:InvertedBounds",
    "TY03": _R + "types:KeywordTypeMismatch",
    "TY04": _R + "types:UnknownFormat",
    "TY05": _R + "types:UnboundedString",
    "TY06": _R + "types:OptionalNotNullable",
    "ID01": _R + "identity:IdPathMismatch",
    "ID02": _R + "identity:NameFolderMismatch",
    "ID03": _R + "identity:VersionFilenameMismatch",
    "ID04": _R + "identity:VendorMismatch",
    "ID05": _R + "identity:InvalidVersionFilename",
    "WH01": _R + "warehouse:ColumnNameTooLong",
    "WH02": _R + "warehouse:ColumnNameInvalid",
    "WH03": _R + "warehouse:ColumnNameReservedWord",
    "WH04": _R + "warehouse:ColumnNameCollision",
    "VR01": _R + "versions:VersionSequenceGap",
    "VR02": _R + "versions:BreakingChangeWithoutMajor",
    "VR03": _R + "versions:MajorBumpWithoutBreakingChange",
}


@cache
def rule_class(code: str) -> type[Rule]:
    module_name, attribute = RULES[code].split(":")
    return getattr(importlib.import_module(module_name), attribute)


def all_rule_classes() -> list[type[Rule]]:
    return [rule_class(code) for code in RULES]


def code_for(key: str) -> str | None:
    """A rule code from a code (any case) or a rule name, as users may write either."""
    upper = key.upper()
    if upper in RULES:
        return upper
    for code in RULES:
        if rule_class(code).name == key:
            return code
    return None
