"""Snowflake through snowflake-connector-python (extra `snowflake`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reflekt.errors import ConnectionFailed
from reflekt.warehouses.base import Column, SourcePart, first_line, group_columns, import_driver


def columns_sql(database: str) -> str:
    # information_schema lives inside each database: the database is an identifier, not a parameter
    quoted = '"' + database.replace('"', '""') + '"'
    return (
        "select table_name, column_name, data_type, ordinal_position\n"
        f"from {quoted}.information_schema.columns\n"
        "where table_schema = %s\n"
        "order by table_name, ordinal_position"
    )


class SnowflakeWarehouse:
    dialect = "snowflake"

    def __init__(self, source: Any) -> None:
        self.source = source
        self._conn: Any = None

    def connect(self) -> Any:
        if self._conn is None:
            connector = import_driver("snowflake.connector")
            s = self.source
            params: dict[str, Any] = {"account": s.account, "user": s.user, "application": "reflekt"}
            for key in ("database", "warehouse", "role", "authenticator"):
                if getattr(s, key):
                    params[key] = getattr(s, key)
            if s.schema_:
                params["schema"] = s.schema_
            if s.password is not None:
                params["password"] = s.password.get_secret_value()
            if s.private_key_path:
                params["private_key_file"] = str(Path(s.private_key_path).expanduser())
                if s.private_key_passphrase is not None:
                    params["private_key_file_pwd"] = s.private_key_passphrase.get_secret_value()
            try:
                self._conn = connector.connect(**params)
            except connector.Error as exc:
                raise ConnectionFailed(
                    f"cannot connect to snowflake source '{s.id}' (account {s.account}): {first_line(exc)}",
                    hint="check account, user and password/private key in reflekt_profiles.yml",
                ) from None
        return self._conn

    def check(self) -> str:
        cur = self.connect().cursor()
        try:
            cur.execute("select current_version()")
            return f"Snowflake {cur.fetchone()[0]}"
        finally:
            cur.close()

    def columns(self, database: str, schema: str) -> dict[str, list[Column]]:
        connector = import_driver("snowflake.connector")
        cur = self.connect().cursor()
        try:
            cur.execute(columns_sql(database), (schema,))
            rows = cur.fetchall()
        except connector.Error as exc:
            raise ConnectionFailed(
                f"cannot read columns of {database}.{schema} from snowflake source '{self.source.id}': "
                f"{first_line(exc)}",
                hint="check the database and schema in --source and the role's privileges",
            ) from None
        finally:
            cur.close()
        return group_columns(rows)

    def resolve(self, part: SourcePart) -> str:
        # Snowflake stores unquoted names upper-cased; a quoted --source part is taken as written
        return part.text if part.quoted else part.text.upper()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
