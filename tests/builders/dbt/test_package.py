"""Safe writes, config switches and removal of stale files, on a real DuckDB source."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot

from tests.builders.compile import compile_sql
from tests.builders.conftest import duckdb_profiles
from tests.builders.golden import GOLDEN_ROOT, read_tree
from tests.builders.segment_fixture import PROJECT_YML, write_project

PACKAGE = Path("artifacts/dbt/shop_events")
SOURCE = "wh.raw.ecommerce"


@pytest.fixture
def project(tmp_path: Path, segment_duckdb: Path) -> Path:
    return write_project(tmp_path / "p", duckdb_profiles(segment_duckdb))


def build(cli, root: Path, *args: str):
    return cli("--project-dir", root, "build", "dbt", "--source", SOURCE, "--sdk", "segment", *args)


def test_rebuild_removes_models_of_schemas_no_longer_selected_and_cleans_the_cache(cli, project: Path) -> None:
    assert build(cli, project).code == 0
    folder = project / PACKAGE / "models/staging/ecommerce"
    assert (folder / "stg_ecommerce__order_completed.sql").is_file()
    result = build(cli, project, "--select", "segment/ecommerce/Cart Viewed")
    assert result.code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert "stg_ecommerce__order_completed.sql" not in names
    assert "stg_ecommerce__cart_viewed__v2_0.sql" in names
    sources = (folder / "__src_ecommerce.yml").read_text("utf-8")
    assert "order_completed" not in sources and "cart_viewed" in sources  # exactly the tables used
    assert not (project / ".reflekt_cache").exists()


def test_a_failed_build_leaves_the_previous_package_intact(cli, project: Path, monkeypatch) -> None:
    assert build(cli, project).code == 0
    before = read_tree(project / PACKAGE)

    import builtins

    from reflekt.builders.dbt import package as package_module

    opened: list[str] = []

    def fail_midway(path, *args, **kwargs):
        opened.append(str(path))
        if len(opened) > 3:
            raise OSError(28, "No space left on device")
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(package_module, "open", fail_midway, raising=False)
    result = build(cli, project, "--select", "segment/ecommerce/Identify")
    assert result.code == 2, result.output
    assert "cannot write the dbt package" in result.stderr and "No space left on device" in result.stderr
    assert "previous package is unchanged" in result.stderr
    monkeypatch.undo()
    assert read_tree(project / PACKAGE) == before
    assert not (project / ".reflekt_cache").exists()


def test_an_interrupted_build_leaves_the_previous_package_intact(cli, project: Path, monkeypatch) -> None:
    assert build(cli, project).code == 0
    before = read_tree(project / PACKAGE)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    import reflekt.fsutil

    monkeypatch.setattr(reflekt.fsutil, "atomic_replace_dir", interrupt)
    assert build(cli, project).code == 130
    assert read_tree(project / PACKAGE) == before
    assert not (project / ".reflekt_cache").exists()


def test_config_prefixes_docs_folder_filter_and_materialization(cli, tmp_path: Path, segment_duckdb: Path) -> None:
    project_yml = PROJECT_YML.replace(
        "    models:\n      union_versions: true\n",
        "    sources:\n      prefix: _src_\n    models:\n      prefix: base_\n      materialized: table\n"
        "      filter: received_at is not null\n",
    ).replace("    docs:\n", "    docs:\n      prefix: _doc_\n      in_folder: true\n")
    root = write_project(tmp_path / "p", duckdb_profiles(segment_duckdb), project_yml)
    result = build(cli, root)
    assert result.code == 0, result.output
    files = read_tree(root / PACKAGE)
    folder = "models/staging/ecommerce/"
    assert folder + "_src_ecommerce.yml" in files
    assert folder + "base_ecommerce__tracks.sql" in files
    assert folder + "docs/_doc_ecommerce__tracks.yml" in files
    assert "    where received_at is not null\n" in files[folder + "base_ecommerce__tracks.sql"]
    assert "+materialized: table" in files["dbt_project.yml"]
    assert not any(p.endswith("base_ecommerce__cart_viewed.sql") for p in files)  # no union model


def test_other_sources_in_the_package_are_kept(cli, project: Path) -> None:
    other = project / PACKAGE / "models/staging/legacy/stg_legacy__x.sql"
    assert build(cli, project).code == 0
    other.parent.mkdir(parents=True)
    other.write_text("select 1\n", encoding="utf-8")
    assert build(cli, project).code == 0
    assert other.read_text("utf-8") == "select 1\n"


@pytest.mark.parametrize(("case", "dialect"), [("duckdb", "duckdb"), ("postgres", "postgres"),
                                               ("snowflake", "snowflake"), ("bigquery", "bigquery"),
                                               ("duckdb_without_event_version", "duckdb")])
def test_golden_models_parse_in_their_dialect(case: str, dialect: str) -> None:
    files = read_tree(GOLDEN_ROOT / case)
    assert files, f"golden/{case} is empty"
    for rel, text in files.items():
        if rel.endswith(".sql"):
            sql = compile_sql(text, lambda s, t: f"{s}.{t}", lambda m: m)
            parsed = sqlglot.parse(sql, read=dialect)
            assert len(parsed) == 1 and parsed[0] is not None, rel


def test_incremental_models_only_read_rows_received_after_the_last_run(cli, tmp_path: Path,
                                                                        segment_duckdb: Path) -> None:
    import duckdb

    project_yml = PROJECT_YML.replace("      union_versions: true\n", "      materialized: incremental\n")
    root = write_project(tmp_path / "p", duckdb_profiles(segment_duckdb), project_yml)
    assert build(cli, root).code == 0
    text = read_tree(root / PACKAGE)["models/staging/ecommerce/stg_ecommerce__tracks.sql"]
    assert "{% if is_incremental() %}" in text
    source = lambda s, t: f"raw.ecommerce.{t}"
    with duckdb.connect(str(segment_duckdb)) as conn:
        full = conn.execute(compile_sql(text, source)).fetchall()
        conn.execute("create temp table previous_run as select cast('2024-01-01 10:00:00' as timestamp) "
                     "as received_at_tstamp")
        newer = conn.execute(compile_sql(text, source, is_incremental=lambda: True, this="previous_run")).fetchall()
    assert len(full) == 2 and len(newer) == 1


def test_table_names_stay_unique_when_a_hashed_name_is_another_tables_name() -> None:
    import hashlib

    from reflekt.builders.dbt.naming import PackageNaming
    from reflekt.builders.dbt.package import _unique_names
    from reflekt.sdks.base import ModelPlan

    taken = f"cafe_viewed_{hashlib.sha1('cafe_viewed'.encode()).hexdigest()[:8]}"
    plans = [ModelPlan(t, t, "", []) for t in ("café_viewed", "cafe_viewed", taken)]
    warnings: list[str] = []
    names = _unique_names(plans, PackageNaming("seg"), warnings)
    assert names[taken] == taken  # a table's own clean name wins
    assert len(set(names.values())) == 3
    assert len({p.entity for p in plans}) == 3
    assert any(f"is taken by table '{taken}'" in w for w in warnings)
