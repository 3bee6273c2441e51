"""Property names as warehouse columns (Snowflake, BigQuery, Redshift, PostgreSQL).

Loaders flatten nested objects into `parent_child` columns and snake_case the names; these
rules check the column each property becomes, per the warehouses listed in the rule options.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from reflekt.lint.casing import to_snake
from reflekt.lint.rule import PropertyRef, Rule, Severity, Target, Violation, label

MAX_COLUMN_LENGTH = {"snowflake": 255, "bigquery": 300, "redshift": 127, "postgres": 63}
DEFAULT_WAREHOUSES = ["snowflake", "bigquery", "redshift"]
_BIGQUERY_RESERVED_PREFIXES = ("_table_", "_file_", "_partition", "_row_timestamp", "__root__", "_colidentifier")
_VALID_COLUMN = re.compile(r"[a-z_][a-z0-9_]*")

_COMMON = """all and any as between by case cast create cross distinct else exists false for from full
group having in inner intersect into is join lateral left like natural not null of on or order right
select set some tablesample then to true union using when where with"""
RESERVED_WORDS = {
    "snowflake": set((_COMMON + """ alter check column connect constraint current current_date current_time
        current_timestamp current_user delete drop following grant ilike increment insert localtime
        localtimestamp minus qualify regexp revoke rlike row rows sample start table trigger try_cast
        unique update values whenever window""").split()),
    "bigquery": set((_COMMON + """ array asc assert_rows_modified at collate contains cube current default
        define desc end enum escape except exclude extract fetch following grouping groups hash if
        ignore interval limit lookup merge new no nulls outer over partition preceding proto qualify
        range recursive respect rollup rows struct treat unbounded unnest window within""").split()),
    "redshift": set((_COMMON + """ analyse analyze array asc authorization backup binary both check collate
        column constraint credentials current_date current_time current_timestamp current_user default
        deferrable desc do end except foreign freeze grant identity ignore ilike initially interval
        isnull leading limit localtime localtimestamp minus new notnull nulls off offset old only open
        outer overlaps parallel partition percent pivot placing primary references respect session_user
        similar snapshot sysdate system table tag timestamp top trailing unique unnest unpivot user
        verbose without""").split()),
    "postgres": set((_COMMON + """ analyse analyze array asc both check collate column constraint
        current_catalog current_date current_role current_time current_timestamp current_user default
        deferrable desc do end except fetch foreign grant initially leading limit localtime
        localtimestamp offset only placing primary references returning session_user symmetric table
        trailing unique user variadic window""").split()),
}

_ANY_RESERVED = frozenset().union(*RESERVED_WORDS.values())


class _WarehouseRule(Rule):
    options: ClassVar[dict[str, Any]] = {"warehouses": list(DEFAULT_WAREHOUSES)}

    def warehouses(self) -> list[str]:
        return [w for w in self.opts["warehouses"] if w in MAX_COLUMN_LENGTH]

    @staticmethod
    def columns(target: Target) -> list[tuple[PropertyRef, str]]:
        """(property, column) pairs, computed once per schema for all four rules."""
        cached = target.memo.get("columns")
        if cached is None:
            cached = target.memo["columns"] = list(_columns(target))
        return cached


def _columns(target: Target) -> Iterable[tuple[PropertyRef, str]]:
    for prop in target.properties:
        if prop.column is None:  # inside an array: elements live in one JSON/VARIANT column
            continue
        if isinstance(prop.node.get("properties"), dict) and prop.node.get("properties"):
            continue  # flattened: its children are the columns
        yield prop, to_snake(prop.column)


class ColumnNameTooLong(_WarehouseRule):
    """Property becomes a column name longer than a warehouse allows.

    What it does:
        Builds the column name (nested objects flattened as `parent_child`, snake_case) and
        compares its length with each warehouse's limit: Snowflake 255, BigQuery 300,
        Redshift 127, PostgreSQL 63.

    Why is this bad?
        The loader truncates or drops the column; truncated names can collide.

    Example:
        a 140-character property name, loaded into Redshift

    Use instead:
        a shorter name, or a nested object whose children carry the detail

    Options:
        warehouses (list, default [snowflake, bigquery, redshift]): also `postgres`.
    """

    code = "WH01"
    name = "column-name-too-long"

    def check(self, target: Target) -> Iterable[Violation]:
        warehouses = self.warehouses()
        shortest = min((MAX_COLUMN_LENGTH[w] for w in warehouses), default=10**9)
        for prop, column in self.columns(target):
            if len(column) <= shortest:
                continue
            too_long = [w for w in warehouses if len(column) > MAX_COLUMN_LENGTH[w]]
            if too_long:
                limits = ", ".join(f"{w} {MAX_COLUMN_LENGTH[w]}" for w in too_long)
                yield Violation(prop.pointer, f"column '{column[:40]}...' is {len(column)} characters (limit: {limits})")


class ColumnNameInvalid(_WarehouseRule):
    """Property becomes a column name that is illegal unquoted.

    What it does:
        Reports column names that are empty, start with a digit, or contain characters other
        than ASCII letters, digits and underscores after snake_casing, and names that start with a
        prefix BigQuery reserves (`_TABLE_`, `_FILE_`, `_PARTITION`, ...).

    Why is this bad?
        Loaders rename such columns (differently per warehouse) or reject the event.

    Example:
        "2fa_enabled", "prix_€", "_PARTITIONTIME"

    Use instead:
        "two_factor_enabled", "price_eur"

    Options:
        warehouses (list, default [snowflake, bigquery, redshift]): also `postgres`.
    """

    code = "WH02"
    name = "column-name-invalid"

    def check(self, target: Target) -> Iterable[Violation]:
        bigquery = "bigquery" in self.warehouses()
        for prop, column in self.columns(target):
            if not _VALID_COLUMN.fullmatch(column):
                yield Violation(prop.pointer, f"property '{prop.name}' becomes column '{column}', which is not "
                                "a valid unquoted identifier (letters, digits, _; no leading digit)")
            elif bigquery and column.startswith(_BIGQUERY_RESERVED_PREFIXES):
                yield Violation(prop.pointer, f"column '{column}' uses a prefix BigQuery reserves")


class ColumnNameReservedWord(_WarehouseRule):
    """Property becomes a column named like a reserved SQL word.

    What it does:
        Compares each column name with the reserved words of the configured warehouses
        (e.g. `order`, `group`, `select`; Redshift also `timestamp`, `user`).

    Why is this bad?
        Every query must quote the column, and some loaders rename it silently.

    Example:
        "order": {"type": "object"}

    Use instead:
        "order_details"

    Options:
        warehouses (list, default [snowflake, bigquery, redshift]): also `postgres`.
    """

    code = "WH03"
    name = "column-name-reserved-word"
    severity = Severity.WARNING

    def check(self, target: Target) -> Iterable[Violation]:
        warehouses = self.warehouses()
        for prop, column in self.columns(target):
            if column not in _ANY_RESERVED:
                continue
            hits = [w for w in warehouses if column in RESERVED_WORDS[w]]
            if hits:
                yield Violation(prop.pointer, f"column '{column}' is a reserved word in {', '.join(hits)}")


class ColumnNameCollision(_WarehouseRule):
    """Two properties become the same column.

    What it does:
        Snake-cases every column name (nested objects flattened as `parent_child`) and reports
        a property whose column is already taken by another property: `cartId` and `cart_id`,
        or a top-level `shipping_city` and `shipping.city`.

    Why is this bad?
        The loader merges or drops one of them; data is lost without an error.

    Example:
        "properties": {"cartId": {...}, "cart_id": {...}}

    Use instead:
        one property "cart_id"

    Options:
        warehouses (list, default [snowflake, bigquery, redshift]): unused; present for symmetry.
    """

    code = "WH04"
    name = "column-name-collision"

    def check(self, target: Target) -> Iterable[Violation]:
        seen: dict[str, PropertyRef] = {}
        for prop, column in self.columns(target):
            first = seen.get(column)
            if first is None:
                seen[column] = prop
            elif label(first.pointer) != label(prop.pointer):  # one property in two oneOf branches: one column
                yield Violation(prop.pointer, f"property '{prop.name}' and '{first.name}' both become column '{column}'")
