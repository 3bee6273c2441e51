"""File and model names of the generated package, built from the prefixes in reflekt_project.yml.

Defaults follow dbt Labs' style: `models/staging/<source>/stg_<source>__<entity>.sql`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from reflekt.sdks.naming import truncate


@dataclass(frozen=True)
class PackageNaming:
    source: str  # dbt source name (safe snake_case)
    sources_prefix: str = "__src_"
    models_prefix: str = "stg_"
    docs_prefix: str = "_stg_"
    docs_in_folder: bool = False

    @property
    def folder(self) -> PurePosixPath:
        return PurePosixPath("models", "staging", self.source)

    def sources_file(self) -> PurePosixPath:
        return self.folder / f"{self.sources_prefix}{self.source}.yml"

    def model_name(self, entity: str) -> str:
        # relation names are limited to 63 characters in PostgreSQL
        return truncate(f"{self.models_prefix}{self.source}__{entity}")

    def model_file(self, entity: str) -> PurePosixPath:
        return self.folder / f"{self.model_name(entity)}.sql"

    def docs_file(self, entity: str) -> PurePosixPath:
        name = f"{self.docs_prefix}{self.source}__{entity}.yml"
        return (self.folder / "docs" / name) if self.docs_in_folder else self.folder / name
