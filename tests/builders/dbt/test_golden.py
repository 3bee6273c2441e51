"""Whole generated packages compared with golden trees, one case per warehouse dialect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reflekt.builders.dbt.package import BuildInputs, render_package
from reflekt.project import load_project
from reflekt.warehouses.base import Column
from reflekt.warehouses.dialects import get_dialect
from tests.builders.conftest import duckdb_profiles, postgres_profiles
from tests.builders.golden import assert_matches_golden, read_tree
from tests.builders.segment_fixture import TABLES, seed_sql, write_project

PACKAGE = Path("artifacts/dbt/shop_events")


def test_duckdb_package_matches_golden(cli, tmp_path: Path, segment_duckdb: Path) -> None:
    root = write_project(tmp_path / "p", duckdb_profiles(segment_duckdb))
    result = cli("--project-dir", root, "build", "dbt", "--select", "segment/ecommerce", "--source",
                 "wh.raw.ecommerce", "--sdk", "segment")
    assert result.code == 0, result.output
    assert "built dbt package" in result.stdout
    assert "skipped segment/ecommerce/Product Added/1-0.json: table 'product_added' is not in ecommerce" in result.stdout
    assert "property 'coupon' has no column 'coupon'" in result.stderr
    assert "column 'legacy_flag' is not in any selected schema" in result.stderr
    assert "named it 'context_page_url'" in result.stderr
    assert_matches_golden(read_tree(root / PACKAGE), "duckdb")


def test_duckdb_union_without_event_version_matches_golden(cli, tmp_path: Path,
                                                          raw_without_event_version: Path) -> None:
    """No `context_protocols_event_version`: the union tags every row with the latest version."""
    root = write_project(tmp_path / "p", duckdb_profiles(raw_without_event_version))
    result = cli("--project-dir", root, "build", "dbt", "--source", "wh.raw.ecommerce", "--sdk", "segment")
    assert result.code == 0, result.output
    files = {k: v for k, v in read_tree(root / PACKAGE).items() if "cart_viewed" in k}
    assert_matches_golden(files, "duckdb_without_event_version")


@pytest.mark.postgres
def test_postgres_package_matches_golden(cli, tmp_path: Path, segment_postgres: dict[str, Any]) -> None:
    root = write_project(tmp_path / "p", postgres_profiles(segment_postgres))
    result = cli("--project-dir", root, "build", "dbt", "--source",
                 f"pg.{segment_postgres['database']}.ecommerce", "--sdk", "segment")
    assert result.code == 0, result.output
    assert_matches_golden(read_tree(root / PACKAGE), "postgres")


def test_snowflake_package_matches_golden(cli, tmp_path: Path) -> None:
    fakesnow = pytest.importorskip("fakesnow")
    snowflake_connector = pytest.importorskip("snowflake.connector")
    profiles = "dev:\n  source:\n    - id: sf\n      type: snowflake\n      account: fake\n      user: fake\n      password: fake\n"
    root = write_project(tmp_path / "p", profiles)
    with fakesnow.patch():
        conn = snowflake_connector.connect(account="fake", user="fake", password="fake")
        cur = conn.cursor()
        cur.execute("create database raw")
        cur.execute("use database raw")
        # unquoted DDL, as Segment's loader writes it: Snowflake stores the names upper-cased
        for statement in seed_sql():
            cur.execute(statement.replace('"', ""))
        result = cli("--project-dir", root, "build", "dbt", "--source", "sf.raw.ecommerce", "--sdk", "segment")
    assert result.code == 0, result.output
    files = read_tree(root / PACKAGE)
    assert "database: RAW" in files["models/staging/ecommerce/__src_ecommerce.yml"]
    assert_matches_golden(files, "snowflake")


def bigquery_tables() -> dict[str, list[Column]]:
    """What INFORMATION_SCHEMA.COLUMNS returns for the fixture tables loaded by Segment into BigQuery."""
    bq_types = {"varchar": "STRING", "timestamp": "TIMESTAMP", "integer": "INT64", "double precision": "FLOAT64",
                "boolean": "BOOL"}
    return {
        table: [Column(table, name, bq_types[kind], i + 1) for i, (name, kind) in enumerate(columns)]
        for table, columns in sorted(TABLES.items())
    }


def render_for(dialect: str, tmp_path: Path, tables: dict[str, list[Column]], database: str) -> dict[str, str]:
    root = write_project(tmp_path / f"p_{dialect}", "dev: {}\n")
    project = load_project(root)
    from reflekt.schema import load_schema
    from reflekt.selection import select

    schemas = [load_schema(project.schemas_dir / i, project.schemas_dir) for i in select(project.schemas_dir, None)]
    inputs = BuildInputs(
        project_name=project.config.name,
        dbt_config=project.config.artifacts.dbt,
        dialect=get_dialect(dialect),
        source_name="ecommerce",
        database=database,
        schema="ecommerce",
        schemas=schemas,
        tables=tables,
        sdk="segment",
    )
    return render_package(inputs, root / PACKAGE).files


def test_bigquery_package_matches_golden(tmp_path: Path) -> None:
    files = render_for("bigquery", tmp_path, bigquery_tables(), "my-gcp-project")
    assert "::" not in "".join(t for p, t in files.items() if p.endswith(".sql"))
    assert_matches_golden(files, "bigquery")


def test_same_input_gives_byte_identical_files(tmp_path: Path) -> None:
    first = render_for("bigquery", tmp_path / "a", bigquery_tables(), "my-gcp-project")
    second = render_for("bigquery", tmp_path / "b", dict(reversed(list(bigquery_tables().items()))), "my-gcp-project")
    assert first == second
