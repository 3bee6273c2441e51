"""dbt-snowflake builds the Snowflake package against fakesnow (databases persisted with db_path).

fakesnow patches snowflake.connector in-process; `fakesnow -d <db_path> -m dbt.cli.main ...` runs
real dbt-core + dbt-snowflake inside that patch, reading the DuckDB files the test seeded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reflekt.cli.main import run
from tests.builders.segment_fixture import bad_row_sql, seed_sql, write_project

pytestmark = pytest.mark.dbt
fakesnow = pytest.importorskip("fakesnow")
pytest.importorskip("dbt.adapters.snowflake")

PROFILES = "dev:\n  source:\n    - id: sf\n      type: snowflake\n      account: fake\n      user: fake\n      password: fake\n"
# fakesnow attaches only the connection's database in a new process: the models live in RAW.DBT
DBT_PROFILE = """\
reflekt_test:
  target: dev
  outputs:
    dev:
      type: snowflake
      account: fake
      user: fake
      password: fake
      database: RAW
      schema: DBT
      warehouse: WH
      threads: 1
"""


def _execute(statements: list[str]) -> None:
    """Run statements in the current fakesnow patch: unquoted, as Segment's loader writes (upper-cased)."""
    import snowflake.connector

    conn = snowflake.connector.connect(account="fake", user="fake", password="fake")
    cur = conn.cursor()
    cur.execute("create database if not exists raw")
    cur.execute("use database raw")
    for statement in statements:
        cur.execute(statement.replace('"', ""))
    conn.close()


def _dbt(args: list[str], work: Path, package: Path, db_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1", "NO_COLOR": "1"}
    command = [str(Path(sys.executable).parent / "fakesnow"), "-d", str(db_path), "-m", "dbt.cli.main", *args,
               "--project-dir", str(package), "--profiles-dir", str(work), "--profile", "reflekt_test",
               "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=work, timeout=600, check=False)


@pytest.fixture(scope="module")
def snowflake_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("dbt_snowflake")
    db_path = work / "db"
    db_path.mkdir()
    root = write_project(work / "project", PROFILES)
    # one patch session: fakesnow's information_schema is not there when it re-attaches a database
    with fakesnow.patch(db_path=str(db_path)):
        _execute(seed_sql())
        assert run(["--project-dir", str(root), "build", "dbt", "--source", "sf.raw.ecommerce"]) == 0
    (work / "profiles.yml").write_text(DBT_PROFILE, encoding="utf-8")
    package = root / "artifacts" / "dbt" / "shop_events"
    return {"work": work, "db": db_path, "package": package, "built": _dbt(["build"], work, package, db_path)}


def test_dbt_snowflake_builds_the_package_on_fakesnow(snowflake_run: dict[str, Any]) -> None:
    built = snowflake_run["built"]
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-2000:]
    assert "PASS=35 WARN=0 ERROR=0" in built.stdout


def test_a_duplicate_event_id_fails_the_generated_test_on_fakesnow(snowflake_run: dict[str, Any]) -> None:
    with fakesnow.patch(db_path=str(snowflake_run["db"])):
        _execute([bad_row_sql()])
    result = _dbt(["test", "--select", "stg_ecommerce__order_completed"], snowflake_run["work"],
                  snowflake_run["package"], snowflake_run["db"])
    assert result.returncode == 1, result.stdout[-3000:]
    assert "FAIL 1 unique_stg_ecommerce__order_completed_event_id" in result.stdout


def test_the_union_model_has_one_row_per_event_on_fakesnow(snowflake_run: dict[str, Any]) -> None:
    import snowflake.connector

    assert snowflake_run["built"].returncode == 0
    with fakesnow.patch(db_path=str(snowflake_run["db"])):
        conn = snowflake.connector.connect(account="fake", user="fake", password="fake", database="RAW")
        cur = conn.cursor()
        counts = {}
        for key, relation in (("raw", "raw.ecommerce.cart_viewed"), ("union", "raw.dbt.stg_ecommerce__cart_viewed"),
                              ("v1_0", "raw.dbt.stg_ecommerce__cart_viewed__v1_0"),
                              ("v2_0", "raw.dbt.stg_ecommerce__cart_viewed__v2_0")):
            cur.execute(f"select count(*) from {relation}")
            counts[key] = cur.fetchone()[0]
        cur.execute("select event_id, schema_version from raw.dbt.stg_ecommerce__cart_viewed order by event_id")
        versions = dict(cur.fetchall())
        conn.close()
    assert counts == {"raw": 2, "union": 2, "v1_0": 1, "v2_0": 1}
    assert versions == {"cart_viewed-0": "1-0", "cart_viewed-1": "2-0"}
