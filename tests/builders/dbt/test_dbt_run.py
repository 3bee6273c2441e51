"""Real dbt-core builds the generated package against seeded Segment tables; a bad row fails a test.

The fixture project has `union_versions: true`, and its `cart_viewed` table carries Segment Protocols'
`context_protocols_event_version` (row 0 says major 1, row 1 major 2): the counts below are read
back from the relations dbt built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reflekt.cli.main import run
from tests.builders.conftest import duckdb_profiles, postgres_profiles, run_dbt
from tests.builders.segment_fixture import TABLES, bad_row_sql, column_value, write_project

pytestmark = pytest.mark.dbt
PG_DATABASE = "reflekt_test_build_dbt_run"
MODELS = 9
DATA_TESTS = 26  # with `unique` + `not_null` on the union model's event_id


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
    return {"work": work, "package": package, "built": built, "raw": segment_duckdb, "models": "main"}


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
    return {"work": work, "package": package, "built": built, "pg": pg, "models": "analytics"}


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


UNVERSIONED_ROW = "cart_viewed-no-version"


def _cart_viewed_counts(query: Any, models: str) -> dict[str, int]:
    """Rows per relation: the raw table, the union model, each version model."""
    relations = {"raw": "ecommerce.cart_viewed", "union": f"{models}.stg_ecommerce__cart_viewed",
                 "v1_0": f"{models}.stg_ecommerce__cart_viewed__v1_0", "v2_0": f"{models}.stg_ecommerce__cart_viewed__v2_0"}
    return {key: query(f"select count(*) from {relation}")[0][0] for key, relation in relations.items()}


def _versions(query: Any, models: str) -> dict[str, str]:
    rows = query(f"select event_id, schema_version from {models}.stg_ecommerce__cart_viewed order by event_id")
    return dict(rows)


def _insert_unversioned() -> str:
    """A row Segment loaded without an event_version (e.g. sent before the plan had versions)."""
    values = ", ".join(
        "null" if n == "context_protocols_event_version" else f"'{UNVERSIONED_ROW}'" if n == "id"
        else column_value(n, t, 0, "cart_viewed")
        for n, t in TABLES["cart_viewed"]
    )
    return f'insert into "ecommerce"."cart_viewed" values ({values})'


def _assert_one_row_per_event_split_by_major(query: Any, execute: Any, models: str) -> None:
    assert _cart_viewed_counts(query, models) == {"raw": 2, "union": 2, "v1_0": 1, "v2_0": 1}
    assert _versions(query, models) == {"cart_viewed-0": "1-0", "cart_viewed-1": "2-0"}
    execute(_insert_unversioned())
    try:
        # views: the new raw row shows at once, tagged with (and kept by) the latest version
        assert _cart_viewed_counts(query, models) == {"raw": 3, "union": 3, "v1_0": 1, "v2_0": 2}
        assert _versions(query, models)[UNVERSIONED_ROW] == "2-0"
    finally:
        execute(f"delete from ecommerce.cart_viewed where id = '{UNVERSIONED_ROW}'")


def test_the_duckdb_union_model_has_one_row_per_event_and_versions_split_by_major(
        duckdb_run: dict[str, Any]) -> None:
    import duckdb

    _assert_built(duckdb_run["built"])
    assert "unique_stg_ecommerce__cart_viewed_event_id" in duckdb_run["built"].stdout
    with duckdb.connect(str(duckdb_run["raw"])) as conn:
        _assert_one_row_per_event_split_by_major(lambda q: conn.execute(q).fetchall(), conn.execute,
                                                 duckdb_run["models"])


@pytest.mark.postgres
def test_the_postgres_union_model_has_one_row_per_event_and_versions_split_by_major(
        postgres_run: dict[str, Any]) -> None:
    import psycopg

    _assert_built(postgres_run["built"])
    assert "unique_stg_ecommerce__cart_viewed_event_id" in postgres_run["built"].stdout
    pg = postgres_run["pg"]
    with psycopg.connect(host=pg["host"], port=pg["port"], user=pg["user"], dbname=pg["database"],
                         autocommit=True) as conn:
        _assert_one_row_per_event_split_by_major(lambda q: conn.execute(q).fetchall(), conn.execute,
                                                 postgres_run["models"])
