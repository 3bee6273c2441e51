"""PostgreSQL (and the base of Redshift, which speaks its protocol)."""

from __future__ import annotations

from typing import Any

from reflekt.errors import ConnectionFailed
from reflekt.warehouses.base import Column, SourcePart, first_line, group_columns, import_driver

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
        self._database: str | None = None

    def connect(self, database: str | None = None) -> Any:
        if self._conn is not None and database is not None and database != self._database:
            self.close()  # information_schema only shows the connected database: reconnect to honour --source
        if self._conn is None:
            psycopg = import_driver("psycopg", self.dialect)
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
                self._database = params["dbname"]
            except psycopg.Error as exc:
                # the driver's message never contains the password; keep only its first line
                reason = first_line(exc)
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
        psycopg = import_driver("psycopg", self.dialect)
        try:
            with self.connect(database).cursor() as cur:
                cur.execute(COLUMNS_SQL, (database, schema))
                rows = cur.fetchall()
        except psycopg.Error as exc:
            raise ConnectionFailed(
                f"cannot read columns of {database}.{schema} from {self.dialect} source '{self.source.id}': "
                f"{first_line(exc)}",
                hint="check the database and schema in --source and the user's privileges",
            ) from None
        return group_columns(rows)

    def resolve(self, part: SourcePart) -> str:
        # PostgreSQL (and Redshift) fold unquoted names to lower case; a quoted --source part is taken as written
        return part.text if part.quoted else part.text.lower()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
