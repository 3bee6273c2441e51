"""DuckDB: the embedded default warehouse (a file path in the profile)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reflekt.errors import ConnectionFailed
from reflekt.warehouses.base import Column, SourcePart, group_columns

COLUMNS_SQL = """
select table_name, column_name, data_type, ordinal_position
from information_schema.columns
where table_catalog = ? and table_schema = ?
order by table_name, ordinal_position
"""


class DuckDBWarehouse:
    dialect = "duckdb"

    def __init__(self, source: Any) -> None:
        self.source = source
        self.path = Path(source.path).expanduser()
        self._conn: Any = None

    def connect(self) -> Any:
        if self._conn is None:
            import duckdb

            if str(self.path) != ":memory:" and not self.path.is_file():
                raise ConnectionFailed(
                    f"DuckDB file not found: {self.path} (source '{self.source.id}')",
                    hint="check `path:` of this source in reflekt_profiles.yml",
                )
            try:
                self._conn = duckdb.connect(str(self.path), read_only=True)
            except duckdb.Error as exc:
                raise ConnectionFailed(
                    f"cannot open DuckDB file {self.path}: {exc}",
                    hint="is another process writing to it? close it and retry",
                ) from None
        return self._conn

    @property
    def default_database(self) -> str:
        return self.connect().execute("select current_database()").fetchone()[0]

    def check(self) -> str:
        version = self.connect().execute("select version()").fetchone()[0]
        return f"DuckDB {version} ({self.path})"

    def columns(self, database: str, schema: str) -> dict[str, list[Column]]:
        import duckdb

        try:
            rows = self.connect().execute(COLUMNS_SQL, [database, schema]).fetchall()
        except duckdb.Error as exc:
            raise ConnectionFailed(f"cannot read columns of {database}.{schema} from {self.path}: {exc}") from None
        return group_columns(rows)

    def resolve(self, part: SourcePart) -> str:
        return part.text

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
