"""PostgreSQL (and the base of Redshift, which speaks its protocol)."""

from __future__ import annotations

from typing import Any

from reflekt.errors import ConnectionFailed
from reflekt.warehouses.base import Column, import_driver

COLUMNS_SQL = """
select table_name, column_name, data_type, ordinal_position
from information_schema.columns
where table_catalog = %s and table_schema = %s
order by table_name, ordinal_position
"""


class PostgresWarehouse:
    dialect = "postgres"

    def __init__(self, source: Any) -> None:
        self.source = source
        self._conn: Any = None

    def connect(self, database: str | None = None) -> Any:
        if self._conn is None:
            psycopg = import_driver("psycopg")
            s = self.source
            params: dict[str, Any] = {
                "host": s.host,
                "port": s.port,
                "dbname": database or s.database,
                "user": s.user,
                "connect_timeout": s.connect_timeout,
                "application_name": "reflekt",
            }
            if s.password is not None:
                params["password"] = s.password.get_secret_value()
            if s.sslmode:
                params["sslmode"] = s.sslmode
            try:
                self._conn = psycopg.connect(**params, autocommit=True)
            except psycopg.Error as exc:
                # the driver's message never contains the password; keep only its first line
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise ConnectionFailed(
                    f"cannot connect to {self.dialect} source '{s.id}' at {s.host}:{s.port}: {reason}",
                    hint="check host, port, user and password in reflekt_profiles.yml",
                ) from None
        return self._conn

    def check(self) -> str:
        with self.connect().cursor() as cur:
            cur.execute("select version()")
            return cur.fetchone()[0].split(",")[0]

    def columns(self, database: str, schema: str) -> dict[str, list[Column]]:
        with self.connect().cursor() as cur:
            cur.execute(COLUMNS_SQL, (database, schema))
            rows = cur.fetchall()
        tables: dict[str, list[Column]] = {}
        for table, name, data_type, position in rows:
            tables.setdefault(table, []).append(Column(table, name, data_type, position))
        return tables

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
