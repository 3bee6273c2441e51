"""The union-of-versions model: one row per raw event, with or without Segment Protocols' event_version.

Real dbt runs of the fixture (which has `context_protocols_event_version`) are in test_dbt_run.py;
here the generated SQL is compiled like dbt would and run on DuckDB directly.
"""

from __future__ import annotations

from pathlib import Path

from tests.builders.compile import compile_sql
from tests.builders.conftest import duckdb_profiles
from tests.builders.golden import read_tree
from tests.builders.segment_fixture import PROJECT_YML, write_project

PACKAGE = Path("artifacts/dbt/shop_events")
FOLDER = "models/staging/ecommerce/"
MODELS = {"union": "stg_ecommerce__cart_viewed", "v1_0": "stg_ecommerce__cart_viewed__v1_0",
          "v2_0": "stg_ecommerce__cart_viewed__v2_0"}


def _source(_source_name: str, table: str) -> str:
    return f"raw.ecommerce.{table}"


def _build(cli, tmp_path: Path, raw: Path, project_yml: str = PROJECT_YML) -> dict[str, str]:
    root = write_project(tmp_path / "p", duckdb_profiles(raw), project_yml)
    result = cli("--project-dir", root, "build", "dbt", "--source", "wh.raw.ecommerce", "--sdk", "segment")
    assert result.code == 0, result.output
    return read_tree(root / PACKAGE)


def _counts(raw: Path, files: dict[str, str], **context: object) -> dict[str, int]:
    import duckdb

    counts = {}
    with duckdb.connect(str(raw)) as conn:
        if "this" in context:
            conn.execute(f"create temp table {context['this']} as select "
                         "cast('2024-01-01 10:00:00' as timestamp) as received_at_tstamp")
        for key, model in MODELS.items():
            sql = compile_sql(files[f"{FOLDER}{model}.sql"], _source, **context)
            counts[key] = conn.execute(f"select count(*) from ({sql}) as model").fetchone()[0]
        counts["raw"] = conn.execute("select count(*) from raw.ecommerce.cart_viewed").fetchone()[0]
    return counts


def test_without_event_version_the_union_is_one_select_tagged_with_the_latest_version(
        cli, tmp_path: Path, raw_without_event_version: Path) -> None:
    files = _build(cli, tmp_path, raw_without_event_version)  # golden: test_golden.py
    union = files[f"{FOLDER}stg_ecommerce__cart_viewed.sql"]
    assert "union" not in union and "ref(" not in union
    assert "cast('2-0' as varchar) as schema_version" in union
    # one row per raw event; each version model keeps every row (they cannot be told apart)
    assert _counts(raw_without_event_version, files) == {"raw": 2, "union": 2, "v1_0": 2, "v2_0": 2}


def test_event_version_filter_combines_with_the_project_filter_and_incremental_runs(
        cli, tmp_path: Path, segment_duckdb: Path) -> None:
    project_yml = PROJECT_YML.replace(
        "      union_versions: true\n",
        "      union_versions: true\n      materialized: incremental\n"
        "      filter: received_at is not null or 1 = 1\n",  # an `or`: must not swallow the version filter
    )
    files = _build(cli, tmp_path, segment_duckdb, project_yml)
    v1 = files[f"{FOLDER}stg_ecommerce__cart_viewed__v1_0.sql"]
    assert (
        "    where (received_at is not null or 1 = 1)\n"
        "      and context_protocols_event_version = 1\n"
        "    {% if is_incremental() %}\n"
        "    and received_at > (select max(received_at_tstamp) from {{ this }})\n"
    ) in v1
    union = files[f"{FOLDER}stg_ecommerce__cart_viewed.sql"]
    assert "    where (received_at is not null or 1 = 1)\n    {% if is_incremental() %}\n" in union
    assert _counts(segment_duckdb, files) == {"raw": 2, "union": 2, "v1_0": 1, "v2_0": 1}
    # an incremental run after 2024-01-01: only row 1 (major 2) is new
    newer = _counts(segment_duckdb, files, is_incremental=lambda: True, this="previous_run")
    assert newer == {"raw": 2, "union": 1, "v1_0": 0, "v2_0": 1}
