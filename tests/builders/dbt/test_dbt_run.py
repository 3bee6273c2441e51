"""Real dbt-core builds the generated package against seeded Segment tables; a bad row fails a test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reflekt.cli.main import run
from tests.builders.conftest import duckdb_profiles, postgres_profiles, run_dbt
from tests.builders.segment_fixture import bad_row_sql, write_project

pytestmark = pytest.mark.dbt
PG_DATABASE = "reflekt_test_build_dbt_run"
MODELS = 9
DATA_TESTS = 24


def _build(root: Path, source: str) -> Path:
    code = run(["--project-dir", str(root), "build", "dbt", "--source", source, "--sdk", "segment"])
    assert code == 0
    return root / "artifacts" / "dbt" / "shop_events"


@pytest.fixture(scope="module")
def duckdb_run(tmp_path_factory: pytest.TempPathFactory, segment_duckdb: Path) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("dbt_duckdb")
    package = _build(write_project(work / "project", duckdb_profiles(segment_duckdb)), "wh.raw.ecommerce")
    (work / "profiles.yml").write_text(
        f"reflekt_test:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '{segment_duckdb}'\n"
        "      threads: 1\n",
        encoding="utf-8",
    )
    built = run_dbt(["build"], package, work, work)
    return {"work": work, "package": package, "built": built, "raw": segment_duckdb}


@pytest.fixture(scope="module")
def postgres_run(tmp_path_factory: pytest.TempPathFactory, segment_postgres: dict[str, Any]) -> dict[str, Any]:
    pg = segment_postgres
    work = tmp_path_factory.mktemp("dbt_postgres")
    package = _build(write_project(work / "project", postgres_profiles(pg)), f"pg.{pg['database']}.ecommerce")
    (work / "profiles.yml").write_text(
        "reflekt_test:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n"
        f"      host: {pg['host']}\n      port: {pg['port']}\n      user: {pg['user']}\n      password: ''\n"
        f"      dbname: {pg['database']}\n      schema: analytics\n      threads: 1\n",
        encoding="utf-8",
    )
    built = run_dbt(["build"], package, work, work)
    return {"work": work, "package": package, "built": built, "pg": pg}


def _assert_built(built: Any) -> None:
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-2000:]
    assert f"PASS={MODELS + DATA_TESTS} WARN=0 ERROR=0" in built.stdout


def test_dbt_builds_the_duckdb_package_and_its_tests_pass(duckdb_run: dict[str, Any]) -> None:
    _assert_built(duckdb_run["built"])
    assert "accepted_values_stg_ecommerce__order_completed_status" in duckdb_run["built"].stdout


def test_a_duplicate_event_id_fails_the_generated_unique_test_in_duckdb(duckdb_run: dict[str, Any]) -> None:
    import duckdb

    with duckdb.connect(str(duckdb_run["raw"])) as conn:
        conn.execute(bad_row_sql())
    result = run_dbt(["test", "--select", "stg_ecommerce__order_completed"], duckdb_run["package"],
                     duckdb_run["work"], duckdb_run["work"])
    assert result.returncode == 1, result.stdout[-3000:]
    assert "FAIL 1 unique_stg_ecommerce__order_completed_event_id" in result.stdout


@pytest.mark.postgres
def test_dbt_builds_the_postgres_package_and_its_tests_pass(postgres_run: dict[str, Any]) -> None:
    _assert_built(postgres_run["built"])


@pytest.mark.postgres
def test_a_duplicate_event_id_fails_the_generated_unique_test_in_postgres(postgres_run: dict[str, Any]) -> None:
    import psycopg

    pg = postgres_run["pg"]
    with psycopg.connect(host=pg["host"], port=pg["port"], user=pg["user"], dbname=pg["database"],
                         autocommit=True) as conn:
        conn.execute(bad_row_sql())
    result = run_dbt(["test", "--select", "stg_ecommerce__order_completed"], postgres_run["package"],
                     postgres_run["work"], postgres_run["work"])
    assert result.returncode == 1, result.stdout[-3000:]
    assert "FAIL 1 unique_stg_ecommerce__order_completed_event_id" in result.stdout
