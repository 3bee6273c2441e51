"""Sample raw event rows from a warehouse and turn them back into payloads.

One query per raw table, with the LIMIT and the time filter pushed down; identifiers are quoted
here, values are bound as parameters. How a collector lays events out (which table, which
columns) is an SDK layout's job: SAMPLERS maps `--sdk` to one.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Protocol

from reflekt import logs
from reflekt.errors import ConnectionFailed, UsageError
from reflekt.validate.catalog import Catalog
from reflekt.warehouses.base import Column

# --sdk value -> "module:Class"
SAMPLERS: dict[str, str] = {
    "segment": "reflekt.validate.layouts.segment:SegmentSampler",
}
# DB-API parameter markers per warehouse dialect. BigQuery's client is not DB-API: not sampled.
PARAM_MARKERS = {"duckdb": "?", "postgres": "%s", "redshift": "%s", "snowflake": "%s"}
FETCH_ROWS = 1000


@dataclass(frozen=True)
class TableSample:
    """What to read from one raw table, and how to turn its rows into payloads."""

    table: str
    time_column: str | None  # filtered by --since and ordered newest first
    to_payload: Any  # Callable[[dict[str, Any]], tuple[dict, str | None]]


class Sampler(Protocol):
    def plan(self, catalog: Catalog, tables: dict[str, list[Column]]) -> tuple[list[TableSample], list[str]]:
        """The tables to sample for the selected schemas, and warnings (e.g. a missing table)."""
        ...


def get_sampler(name: str) -> Sampler:
    target = SAMPLERS.get(name)
    if target is None:
        raise UsageError(f"unknown --sdk '{name}'", hint="known SDKs: " + ", ".join(sorted(SAMPLERS)))
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)()


def parse_since(text: str | None) -> datetime | None:
    """An ISO date or date-time; naive values are UTC (as Segment stores received_at)."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            value = datetime.combine(date.fromisoformat(text.strip()), datetime.min.time())
        except ValueError:
            raise UsageError(
                f"--since {text!r} is not an ISO date or date-time",
                hint="e.g. --since 2024-05-01 or 2024-05-01T12:00:00Z",
            ) from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def quote(dialect: str, name: str) -> str:
    if dialect == "bigquery":
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"
    return '"' + name.replace('"', '""') + '"'


def sample_query(
    dialect: str, database: str, schema: str, sample: TableSample, since: datetime | None, limit: int
) -> tuple[str, list[Any]]:
    """`select * from db.schema.table [where time >= ?] [order by time desc] limit ?`."""
    marker = PARAM_MARKERS[dialect]
    sql = f"select * from {quote(dialect, database)}.{quote(dialect, schema)}.{quote(dialect, sample.table)}"
    params: list[Any] = []
    if sample.time_column is not None:
        column = quote(dialect, sample.time_column)
        if since is not None:
            sql += f" where {column} >= {marker}"
            params.append(since)
        sql += f" order by {column} desc"
    sql += f" limit {marker}"
    params.append(limit)
    return sql, params


def sample_events(
    catalog: Catalog, profile: Any, source: str, *, sdk: str, limit: int, since: str | None
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(payload, example id) for the sampled rows of every table the selected schemas live in."""
    from reflekt.warehouses.base import get_warehouse, parse_source

    ref = parse_source(source)
    entry = profile.source(ref.id)
    sampler = get_sampler(sdk)
    since_at = parse_since(since)
    warehouse: Any = get_warehouse(entry)
    if warehouse.dialect not in PARAM_MARKERS:
        raise UsageError(
            f"validate --source does not sample {warehouse.dialect} sources yet",
            hint="supported: " + ", ".join(PARAM_MARKERS) + "; or export events to JSONL and use --events",
        )
    try:
        database, schema = warehouse.resolve(ref.database), warehouse.resolve(ref.schema)
        tables = warehouse.columns(database, schema)
        if not tables:
            raise ConnectionFailed(
                f"no tables found in {database}.{schema} of source '{ref.id}' ({entry.type})",
                hint="check the database and schema parts of --source",
            )
        samples, warnings = sampler.plan(catalog, tables)
        catalog.warnings.extend(warnings)
        connection = warehouse.connect()
        for sample in samples:
            if since_at is not None and sample.time_column is None:
                catalog.warnings.append(
                    f"table {sample.table} has no received_at/timestamp column: --since ignored"
                )
            sql, params = sample_query(warehouse.dialect, database, schema, sample, since_at, limit)
            logs.logger.info("sampling %s: %s", sample.table, sql)
            for row in _rows(connection, sql, params, sample.table):
                yield sample.to_payload(row)
    finally:
        warehouse.close()


def _rows(connection: Any, sql: str, params: list[Any], table: str) -> Iterator[dict[str, Any]]:
    cursor = connection.cursor()
    try:
        with _driver_errors(table):
            cursor.execute(sql, params)
            names = [d[0] for d in cursor.description]
        while True:
            # fetching converts values, so a driver can fail here too (psycopg on timestamp 'infinity')
            with _driver_errors(table):
                batch = cursor.fetchmany(FETCH_ROWS)
            if not batch:
                return
            for values in batch:
                yield dict(zip(names, values))
    finally:
        cursor.close()


@contextmanager
def _driver_errors(table: str) -> Iterator[None]:
    """Any driver error while sampling is one clean line (every driver has its own error base class)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001
        from reflekt.warehouses.base import first_line

        raise ConnectionFailed(
            f"cannot sample table {table}: {first_line(exc)}",
            hint="check the user's SELECT privilege on the raw tables and that every value is readable "
            "(e.g. no 'infinity' timestamps)",
        ) from None
