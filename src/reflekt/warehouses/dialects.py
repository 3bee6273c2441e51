"""SQL text per warehouse dialect: identifier quoting, string literals and casts.

Generated SQL never pastes user text raw: identifiers go through `identifier()` and strings through
`string_literal()`, and both are made inert for dbt's Jinja rendering by `jinja_safe()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Words reserved (or treated as type/function keywords) in at least one supported warehouse.
# Quoting a word that a given warehouse does not reserve is harmless, so one union set is used.
RESERVED = frozenset(
    ["all", "alter", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "at", "authorization", "between", "binary", "both", "by", "case", "cast", "check", "collate", "column", "constraint", "create", "cross", "current", "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "date", "default", "deferrable", "delete", "desc", "describe", "distinct", "do", "drop", "else", "end", "except", "exists", "false", "fetch", "filter", "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "if", "ilike", "in", "initially", "inner", "insert", "interval", "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp", "merge", "minus", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "over", "overlaps", "partition", "pivot", "placing", "primary", "qualify", "range", "references", "regexp", "returning", "right", "rlike", "row", "rows", "sample", "select", "session_user", "set", "similar", "some", "start", "symmetric", "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "true", "try_cast", "union", "unique", "unpivot", "update", "user", "using", "values", "variadic", "verbose", "view", "when", "where", "window", "with", "within"]
)

_SIMPLE_LOWER = re.compile(r"[a-z_][a-z0-9_]*")
_SIMPLE_UPPER = re.compile(r"[A-Z_][A-Z0-9_]*")
_SIMPLE_ANY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Dialect:
    name: str  # dbt adapter name; also the sqlglot dialect name
    quote: str  # identifier quote character
    fold: str  # how unquoted identifiers resolve: "lower", "upper" or "none" (case-insensitive)
    string_type: str  # type for literal text columns
    backslash_escapes: bool  # string literals treat backslash as an escape character

    def plain(self, name: str) -> bool:
        """True when `name` may be written unquoted and still mean exactly this identifier."""
        return _plain(self.fold, name)

    def identifier(self, name: str) -> str:
        """An identifier exactly as the warehouse stores it, quoted only where needed."""
        if self.plain(name):
            # Snowflake stores unquoted names upper-cased; writing them lower-case reads better
            return name.lower() if self.fold == "upper" else name
        return jinja_safe(self._quoted(name))

    def _quoted(self, name: str) -> str:
        if self.name == "bigquery":  # BigQuery escapes inside quoted identifiers with a backslash
            return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"
        return self.quote + name.replace(self.quote, self.quote * 2) + self.quote

    def alias(self, name: str) -> str:
        """An output column we named (lowercase snake_case): quoted only when it is a keyword."""
        if self.plain(name) or (self.fold == "upper" and _SIMPLE_LOWER.fullmatch(name) and name not in RESERVED):
            return name
        return self._quoted(self.stored_alias(name))

    def stored_alias(self, name: str) -> str:
        """How the warehouse stores an alias written by `alias()` (what dbt tests must reference)."""
        return name.upper() if self.fold == "upper" else name

    def string_literal(self, text: str) -> str:
        body = text
        if self.backslash_escapes:
            body = body.replace("\\", "\\\\")
        if self.name == "bigquery":
            body = body.replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        else:
            body = body.replace("'", "''")
        return jinja_safe(f"'{body}'")

    def text_literal(self, text: str) -> str:
        """A string literal typed as text, written in this dialect (BigQuery has no `::`)."""
        return f"cast({self.string_literal(text)} as {self.string_type})"


@lru_cache(maxsize=65536)
def _plain(fold: str, name: str) -> bool:
    if name.lower() in RESERVED:
        return False
    if fold == "lower":
        return bool(_SIMPLE_LOWER.fullmatch(name))
    if fold == "upper":
        return bool(_SIMPLE_UPPER.fullmatch(name))
    return bool(_SIMPLE_ANY.fullmatch(name))


DIALECTS: dict[str, Dialect] = {
    "duckdb": Dialect("duckdb", '"', "none", "varchar", False),
    "postgres": Dialect("postgres", '"', "lower", "text", False),
    # Redshift treats backslash as an escape in literals; varchar alone would mean varchar(256)
    "redshift": Dialect("redshift", '"', "lower", "varchar(max)", True),
    "snowflake": Dialect("snowflake", '"', "upper", "varchar", True),
    "bigquery": Dialect("bigquery", "`", "none", "string", True),
}


def get_dialect(name: str) -> Dialect:
    return DIALECTS[name]


def jinja_safe(text: str) -> str:
    """dbt renders .sql and .yml through Jinja: make `{` in user text print literally."""
    return text.replace("{", "{{ '{' }}")
