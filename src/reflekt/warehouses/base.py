"""The Warehouse protocol and the lazy table of connectors.

Drivers are optional extras and are imported only inside a connector's methods, so listing or
configuring warehouses never imports them.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any, Protocol

from reflekt.errors import ConfigError, MissingDependency, UsageError

# profile `type:` -> "module:Class"
WAREHOUSES: dict[str, str] = {
    "duckdb": "reflekt.warehouses.duckdb:DuckDBWarehouse",
    "postgres": "reflekt.warehouses.postgres:PostgresWarehouse",
    "redshift": "reflekt.warehouses.redshift:RedshiftWarehouse",
    "snowflake": "reflekt.warehouses.snowflake:SnowflakeWarehouse",
    "bigquery": "reflekt.warehouses.bigquery:BigQueryWarehouse",
}

# driver module -> the extra that installs it (a test checks each extra exists in pyproject.toml)
DRIVER_EXTRAS: dict[str, str] = {
    "psycopg": "postgres",
    "snowflake.connector": "snowflake",
    "google.cloud.bigquery": "bigquery",
}


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    data_type: str
    position: int = 0


class Warehouse(Protocol):
    """A connection to one warehouse source from the profile."""

    dialect: str  # the dbt adapter / sqlglot dialect name: duckdb, postgres, redshift, snowflake, bigquery

    def check(self) -> str:
        """Connect and run a trivial query; return a short description (e.g. server version)."""
        ...

    def columns(self, database: str, schema: str) -> dict[str, list[Column]]:
        """Every table's columns in database.schema, from ONE information_schema query."""
        ...

    def resolve(self, part: SourcePart) -> str:
        """The stored name of a database or schema written in --source (Snowflake upper-cases unquoted)."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SourcePart:
    text: str
    quoted: bool = False


@dataclass(frozen=True)
class SourceRef:
    """`--source <id>.<database>.<schema>`; a part in double quotes may contain dots."""

    id: str
    database: SourcePart
    schema: SourcePart

    def __str__(self) -> str:
        return ".".join(f'"{p.text}"' if p.quoted else p.text for p in (SourcePart(self.id), self.database, self.schema))


_PART = re.compile(r'"((?:[^"]|"")*)"|([^."]+)')


def parse_source(text: str) -> SourceRef:
    """Split `id.database.schema`, honouring double-quoted parts (`""` is a literal quote)."""
    parts: list[SourcePart] = []
    pos = 0
    raw = text.strip()
    while True:
        match = _PART.match(raw, pos)
        if match is None:
            break
        if match.group(1) is not None:
            parts.append(SourcePart(match.group(1).replace('""', '"'), quoted=True))
        else:
            parts.append(SourcePart(match.group(2).strip()))
        pos = match.end()
        if pos == len(raw) or raw[pos] != ".":
            break
        pos += 1
    if pos != len(raw) or len(parts) != 3 or any(not p.text for p in parts):
        raise UsageError(
            f"--source {text!r} is not <id>.<database>.<schema>",
            hint='e.g. --source demo.demo.ecommerce; quote a part that holds dots: warehouse."my.db".raw',
        )
    return SourceRef(parts[0].text, parts[1], parts[2])


def import_driver(module: str, extra: str | None = None) -> Any:
    """Import an optional driver, or say exactly which extra installs it (`extra` when drivers are shared)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependency(module, extra or DRIVER_EXTRAS.get(module, module)) from None


def get_warehouse(source: Any) -> Warehouse:
    """Build the connector for a source entry of the profile."""
    target = WAREHOUSES.get(source.type)
    if target is None:
        raise ConfigError(f"unknown warehouse type '{source.type}'", hint="known: " + ", ".join(WAREHOUSES))
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(source)


def group_columns(rows: Any) -> dict[str, list[Column]]:
    """(table, column, type, position) rows -> columns per table, in table then position order."""
    tables: dict[str, list[Column]] = {}
    for table, name, data_type, position in rows:
        tables.setdefault(table, []).append(Column(table, name, str(data_type), int(position or 0)))
    return {t: sorted(cols, key=lambda c: c.position) for t, cols in sorted(tables.items())}


def first_line(exc: BaseException) -> str:
    """A driver error's first line: enough to act on, and never the connection parameters."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
