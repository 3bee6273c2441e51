"""The Warehouse protocol and the lazy table of connectors.

Drivers are optional extras and are imported only inside a connector's methods, so listing or
configuring warehouses never imports them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Protocol

from reflekt.errors import MissingDependency, UsageError

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

    def close(self) -> None: ...


def import_driver(module: str) -> Any:
    """Import an optional driver, or say exactly which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependency(module, DRIVER_EXTRAS.get(module, module)) from None


def get_warehouse(source: Any) -> Warehouse:
    """Build the connector for a source entry of the profile."""
    target = WAREHOUSES.get(source.type)
    if target is None:
        raise UsageError(f"unknown warehouse type '{source.type}'", hint="known: " + ", ".join(WAREHOUSES))
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(source)
