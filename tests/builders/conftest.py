"""Engines seeded once per module with the Segment-shaped fixture (dbt and introspection are slow)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders.segment_fixture import seed_sql
from tests.conftest import IN_CI, PG_HOST, PG_PORT, PG_USER, _postgres_available

GOLDEN_PG_DATABASE = "reflekt_test_build_dbt"  # fixed: it appears in the golden sources yml


@pytest.fixture(scope="module")
def segment_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """raw.duckdb (catalog `raw`) with schema `ecommerce` of Segment tables."""
    import duckdb

    path = tmp_path_factory.mktemp("duck") / "raw.duckdb"
    with duckdb.connect(str(path)) as conn:
        for statement in seed_sql():
            conn.execute(statement)
    return path


@pytest.fixture
def raw_without_event_version(tmp_path: Path) -> Path:
    """The same tables from a Segment source without Protocols versions: no event_version column."""
    import duckdb

    path = tmp_path / "unversioned" / "raw.duckdb"  # catalog `raw`, as in --source wh.raw.ecommerce
    path.parent.mkdir()
    with duckdb.connect(str(path)) as conn:
        for statement in seed_sql():
            conn.execute(statement)
        conn.execute("alter table ecommerce.cart_viewed drop column context_protocols_event_version")
    return path


@pytest.fixture(scope="module")
def segment_postgres(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """A database per test module (name from the module's PG_DATABASE) seeded with the Segment tables."""
    name = getattr(request.module, "PG_DATABASE", GOLDEN_PG_DATABASE)
    problem = _postgres_available()
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true requires PostgreSQL: {problem}")
        pytest.skip(problem)
    import psycopg

    admin = {"host": PG_HOST, "port": PG_PORT, "user": PG_USER, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    with psycopg.connect(**{**admin, "dbname": name}) as conn:
        for statement in seed_sql():
            conn.execute(statement)
    try:
        yield {"host": PG_HOST, "port": PG_PORT, "user": PG_USER, "database": name}
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def duckdb_profiles(path: Path, source_id: str = "wh") -> str:
    return f"dev:\n  source:\n    - id: {source_id}\n      type: duckdb\n      path: '{path}'\n"


def postgres_profiles(pg: dict[str, Any], source_id: str = "pg") -> str:
    return (
        f"dev:\n  source:\n    - id: {source_id}\n      type: postgres\n      host: {pg['host']}\n"
        f"      port: {pg['port']}\n      user: {pg['user']}\n      database: {pg['database']}\n"
    )


def run_dbt(args: list[str], project_dir: Path, profiles_dir: Path, work: Path) -> subprocess.CompletedProcess[str]:
    """Real dbt-core in a subprocess; target/ and logs/ go to `work`, never into the package."""

    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1", "NO_COLOR": "1"}
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), *args, "--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir),
               "--profile", "reflekt_test", "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)
