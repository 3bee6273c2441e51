"""BigQuery through google-cloud-bigquery (extra `bigquery`). --source is <id>.<project>.<dataset>."""

from __future__ import annotations

from typing import Any

from reflekt.errors import ConnectionFailed, ReflektError
from reflekt.warehouses.base import Column, SourcePart, first_line, group_columns, import_driver


def columns_sql(project: str, dataset: str) -> str:
    # INFORMATION_SCHEMA is per dataset: project and dataset are identifiers, escaped for backticks
    path = ".".join(p.replace("\\", "\\\\").replace("`", "\\`") for p in (project, dataset))
    return (
        "select table_name, column_name, data_type, ordinal_position\n"
        f"from `{path}`.INFORMATION_SCHEMA.COLUMNS\n"
        "order by table_name, ordinal_position"
    )


class BigQueryWarehouse:
    dialect = "bigquery"

    def __init__(self, source: Any) -> None:
        self.source = source
        self._client: Any = None

    def connect(self) -> Any:
        if self._client is None:
            bigquery = import_driver("google.cloud.bigquery")
            s = self.source
            try:
                if s.keyfile_json:
                    self._client = bigquery.Client.from_service_account_info(
                        s.keyfile_json, project=s.project, location=s.location
                    )
                elif s.keyfile:
                    self._client = bigquery.Client.from_service_account_json(
                        s.keyfile, project=s.project, location=s.location
                    )
                else:
                    self._client = bigquery.Client(project=s.project, location=s.location)
            except Exception as exc:  # noqa: BLE001 - google-auth raises many unrelated types
                raise ConnectionFailed(
                    f"cannot create a BigQuery client for source '{s.id}': {first_line(exc)}",
                    hint="check project and keyfile in reflekt_profiles.yml, or run `gcloud auth application-default login`",
                ) from None
        return self._client

    def _query(self, sql: str) -> list[Any]:
        try:
            return list(self.connect().query(sql).result())
        except ReflektError:  # a missing driver says which extra to install
            raise
        except Exception as exc:  # noqa: BLE001
            raise ConnectionFailed(
                f"BigQuery query failed for source '{self.source.id}': {first_line(exc)}",
                hint="check the project and dataset in --source and the account's permissions",
            ) from None

    def check(self) -> str:
        self._query("select 1")
        return f"BigQuery project {self.source.project}"

    def columns(self, database: str, schema: str) -> dict[str, list[Column]]:
        rows = self._query(columns_sql(database, schema))
        return group_columns(tuple(r.values()) for r in rows)

    def resolve(self, part: SourcePart) -> str:
        return part.text

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
