"""`reflekt build dbt` from the command line: output and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from reflekt.errors import ExitCode
from tests.builders.conftest import duckdb_profiles
from tests.builders.segment_fixture import seed_sql, write_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    import duckdb

    raw = tmp_path / "raw.duckdb"
    with duckdb.connect(str(raw)) as conn:
        for statement in seed_sql():
            conn.execute(statement)
    profiles = duckdb_profiles(raw) + (
        "    - id: pg\n      type: postgres\n      host: 127.0.0.1\n      port: 1\n      user: u\n      database: d\n"
        "      connect_timeout: 2\n"
        f"    - id: gone\n      type: duckdb\n      path: '{tmp_path / 'missing.duckdb'}'\n"
    )
    return write_project(tmp_path / "p", profiles)


def build(cli, root: Path, *args: str):
    return cli("--project-dir", root, "build", "dbt", *args)


def test_help_has_an_example(cli) -> None:
    result = cli("build", "dbt", "--help")
    assert result.code == 0
    assert "Example: reflekt build dbt --select segment/ecommerce --source demo.demo.ecommerce --sdk segment" in (
        " ".join(result.stdout.split())
    )


def test_success_prints_a_summary_with_skips_and_warnings(cli, project: Path) -> None:
    result = build(cli, project, "--select", "segment/ecommerce", "--source", "wh.raw.ecommerce", "--sdk", "segment")
    assert result.code == ExitCode.OK, result.output
    package = project / "artifacts" / "dbt" / "shop_events"
    assert f"built dbt package {package}: 9 model(s), 21 file(s), 1 skipped, 3 warning(s)" in result.stdout
    assert "skipped segment/ecommerce/Product Added/1-0.json: table 'product_added' is not in ecommerce" in result.stdout
    assert result.stderr.count("warning:") == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "wh.raw"], "error: --source 'wh.raw' is not <id>.<database>.<schema>"),
        (["--source", "nope.raw.ecommerce"], "error: source 'nope' not found in profile 'dev'"),
        (["--source", "wh.raw.ecommerce", "--sdk", "snowplow"], "error: unknown --sdk 'snowplow'"),
        (["--source", "gone.raw.ecommerce"], "error: DuckDB file not found"),
        (["--source", "pg.d.ecommerce"], "error: cannot connect to postgres source 'pg' at 127.0.0.1:1"),
        (["--source", "wh.main.ecommerce"], "error: no tables found in main.ecommerce of source 'wh' (duckdb)"),
        (["--source", "wh.raw.ecommerce", "--select", "nowhere"], "error: --select 'nowhere' matches no schema"),
    ],
)
def test_problems_are_one_line_and_exit_2(cli, project: Path, args: list[str], message: str) -> None:
    result = build(cli, project, *args)
    assert result.code == ExitCode.USAGE, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1
    assert not (project / "artifacts" / "dbt" / "shop_events").exists()


def test_unknown_source_id_lists_the_known_ones(cli, project: Path) -> None:
    result = build(cli, project, "--source", "nope.raw.ecommerce")
    assert "hint: known source ids: wh, pg, gone" in result.stderr


def test_duckdb_catalog_hint(cli, project: Path) -> None:
    result = build(cli, project, "--source", "wh.main.ecommerce")
    assert "a file demo.duckdb is catalog 'demo'); try --source wh.raw.ecommerce" in result.stderr


def test_missing_driver_names_the_extra(cli, project: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import fails as if the extra were not installed
    result = build(cli, project, "--source", "pg.d.ecommerce")
    assert result.code == ExitCode.USAGE
    assert "error: the optional dependency 'psycopg' is not installed" in result.stderr
    assert "hint: pip install 'reflekt[postgres]'" in result.stderr


def test_source_is_required(cli, project: Path) -> None:
    result = build(cli, project)
    assert result.code == ExitCode.USAGE
    assert "--source" in result.output


def test_missing_driver_for_redshift_names_the_redshift_extra(cli, tmp_path: Path, monkeypatch) -> None:
    profiles = "dev:\n  source:\n    - id: rs\n      type: redshift\n      host: h\n      user: u\n      database: d\n"
    root = write_project(tmp_path / "p", profiles)
    monkeypatch.setitem(sys.modules, "psycopg", None)
    result = build(cli, root, "--source", "rs.d.events")
    assert result.code == ExitCode.USAGE
    assert "hint: pip install 'reflekt[redshift]'" in result.stderr


def test_progress_is_shown_on_a_terminal(cli, project: Path, monkeypatch) -> None:
    from reflekt import console

    monkeypatch.setattr(console, "is_interactive", lambda: True)
    result = build(cli, project, "--source", "wh.raw.ecommerce")
    assert result.code == ExitCode.OK
    assert "introspecting raw.ecommerce on duckdb source 'wh'" in result.stderr
    assert "model stg_ecommerce__order_completed <- order_completed" in result.stderr


def test_no_progress_when_piped(cli, project: Path) -> None:
    result = build(cli, project, "--source", "wh.raw.ecommerce")
    assert "introspecting" not in result.output


PATH_AND_PREFIX = {"path": {"type": "string"}, "dial_prefix": {"type": "string", "enum": ["+44", "yes", "1e3"]}}


def _segment_project(tmp_path: Path, statements: list[str], schema_ids: list[str],
                     properties: dict | None = None) -> Path:
    import duckdb

    from tests.helpers import event_schema, write_schema

    raw = tmp_path / "raw.duckdb"
    with duckdb.connect(str(raw)) as conn:
        conn.execute("create schema seg")
        for statement in statements:
            conn.execute(statement)
    root = tmp_path / "p"
    (root / "schemas" / ".reflekt" / "meta").mkdir(parents=True)
    (root / "reflekt_project.yml").write_text(
        "version: 1.0\nname: web\nvendor: com.example\ndefault_profile: dev\n"
        "artifacts:\n  dbt:\n    docs:\n      schema_tests: true\n", encoding="utf-8")
    (root / "reflekt_profiles.yml").write_text(duckdb_profiles(raw), encoding="utf-8")
    for schema_id in schema_ids:
        write_schema(root / "schemas", schema_id, event_schema(schema_id, properties=properties or {"path": {"type": "string"}}))
    (tmp_path / "profiles.yml").write_text(
        f"reflekt_test:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '{raw}'\n",
        encoding="utf-8")
    return root


def _dbt_rows(tmp_path: Path, root: Path, models: list[str]) -> dict[str, list[dict]]:
    import duckdb

    from tests.builders.conftest import run_dbt

    built = run_dbt(["build"], root / "artifacts" / "dbt" / "web", tmp_path, tmp_path)
    assert built.returncode == 0, built.stdout[-4000:]
    with duckdb.connect(str(tmp_path / "raw.duckdb"), read_only=True) as conn:
        out = {}
        for model in models:
            cursor = conn.execute(f"select * from main.{model} order by 1")
            columns = [d[0] for d in cursor.description]
            out[model] = [dict(zip(columns, row)) for row in cursor.fetchall()]
        return out


def test_raw_tables_with_the_same_dbt_name_get_one_model_each(cli, tmp_path: Path) -> None:
    import hashlib

    root = _segment_project(tmp_path, [
        'create table seg."café_viewed" (id text, "timestamp" timestamp, event_text text, path text)',
        "insert into seg.\"café_viewed\" values ('accented', '2024-05-01', 'Café Viewed', '/a')",
        "create table seg.cafe_viewed (id text, \"timestamp\" timestamp, event_text text, path text)",
        "insert into seg.cafe_viewed values ('plain', '2024-05-01', 'Cafe Viewed', '/p')",
    ], ["segment/web/Café Viewed/1-0.json", "segment/web/Cafe Viewed/1-0.json"])
    result = build(cli, root, "--source", "wh.raw.seg")
    assert result.code == ExitCode.OK, result.output
    names = {t: f"cafe_viewed_{hashlib.sha1(t.encode()).hexdigest()[:8]}" for t in ("café_viewed", "cafe_viewed")}
    assert "2 model(s), 7 file(s), 0 skipped, 2 warning(s)" in result.stdout
    for table, name in names.items():
        assert f"table '{table}': its dbt name 'cafe_viewed' is also the name of table(s)" in result.stderr
        assert f"named its source table and models '{name}' instead" in result.stderr
    package = root / "artifacts" / "dbt" / "web" / "models" / "staging" / "seg"
    assert sorted(p.name for p in package.glob("*.sql")) == sorted(f"stg_seg__{n}.sql" for n in names.values())
    # each model reads its own raw table
    rows = _dbt_rows(tmp_path, root, [f"stg_seg__{n}" for n in names.values()])
    assert [r["event_id"] for r in rows[f"stg_seg__{names['café_viewed']}"]] == ["accented"]
    assert [r["event_id"] for r in rows[f"stg_seg__{names['cafe_viewed']}"]] == ["plain"]


def test_named_page_schemas_get_a_model_filtered_on_the_page_name(cli, tmp_path: Path) -> None:
    root = _segment_project(tmp_path, [
        "create table seg.pages (id text, name text, \"timestamp\" timestamp, path text, dial_prefix text)",
        "insert into seg.pages values ('p1', 'Home', '2024-05-01', '/', '+44'), ('p2', 'Bob''s', '2024-05-01', '/b',"
        " 'yes'), ('p3', 'Pricing', '2024-05-01', '/pricing', '1e3')",
    ], ["segment/web/Page - Home/1-0.json", "segment/web/Page - Bob's/1-0.json", "segment/web/Page/1-0.json"],
        PATH_AND_PREFIX)
    result = build(cli, root, "--source", "wh.raw.seg")
    assert result.code == ExitCode.OK, result.output
    assert "3 model(s), 9 file(s), 0 skipped, 0 warning(s)" in result.stdout
    package = root / "artifacts" / "dbt" / "web" / "models" / "staging" / "seg"
    assert "where name = 'Bob''s'" in (package / "stg_seg__pages__bob_s.sql").read_text("utf-8")
    # enum values that look like numbers or bools stay strings: dbt's accepted_values test passes on them
    docs = yaml.safe_load((package / "_stg_seg__pages.yml").read_text("utf-8"))
    prefix = next(c for c in docs["models"][0]["columns"] if c["name"] == "dial_prefix")
    assert prefix["data_tests"] == [{"accepted_values": {"arguments": {"values": ["+44", "yes", "1e3"]}}}]
    rows = _dbt_rows(tmp_path, root, ["stg_seg__pages", "stg_seg__pages__home", "stg_seg__pages__bob_s"])
    assert [(r["page_id"], r["schema_id"]) for r in rows["stg_seg__pages__home"]] == [
        ("p1", "segment/web/Page - Home/1-0.json")]
    assert [(r["page_id"], r["schema_id"]) for r in rows["stg_seg__pages__bob_s"]] == [
        ("p2", "segment/web/Page - Bob's/1-0.json")]
    # 'Page' describes every page call
    assert [r["page_id"] for r in rows["stg_seg__pages"]] == ["p1", "p2", "p3"]


def test_a_named_page_schema_without_a_name_column_is_skipped(cli, tmp_path: Path) -> None:
    root = _segment_project(tmp_path, [
        "create table seg.pages (id text, \"timestamp\" timestamp, path text)",
        "insert into seg.pages values ('p1', '2024-05-01', '/')",
    ], ["segment/web/Page - Home/1-0.json"])
    result = build(cli, root, "--source", "wh.raw.seg")
    assert result.code == ExitCode.OK, result.output
    assert ("skipped segment/web/Page - Home/1-0.json: table 'pages' has no name column to keep only the pages "
            "named 'Home'") in result.stdout
