"""Redshift: speaks the PostgreSQL protocol, so psycopg and the same information_schema query work."""

from __future__ import annotations

from reflekt.warehouses.postgres import PostgresWarehouse


class RedshiftWarehouse(PostgresWarehouse):
    dialect = "redshift"
