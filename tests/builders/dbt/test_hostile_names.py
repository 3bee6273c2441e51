"""Hostile names (quotes, semicolons, unicode, keywords, 63-character names) give SQL that runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.builders.compile import compile_sql
from tests.builders.conftest import duckdb_profiles, postgres_profiles, run_dbt
from tests.helpers import event_schema, write_schema

SCHEMA = 'Raw "Events"; drop'
LONG = "a_very_long_property_name_that_fills_the_identifier_limit_xx_63"  # 63 characters
PROPS = {
    "order": {"type": "string", "description": "A keyword as a column."},
    'we"ird;col': {"type": "string", "description": "Quote and semicolon."},
    "prix €": {"type": "string", "description": "Unicode symbol."},
    "Ünïcödé": {"type": "string", "description": "Accents {{ not jinja }}."},
    LONG: {"type": "string", "description": "Long."},
    "status": {"type": "string", "enum": ["it's", "ok"], "description": "Enum with a quote."},
}
COLUMNS = ["id", "timestamp", "event_text", "order", 'we"ird;col', "prix_€", "ünïcödé", LONG, "status",
           "context_page_url", "page_url"]
TABLES = {"select": COLUMNS, "tracks": ["id", "timestamp", "event_text"]}
PG_DATABASE = "reflekt_test_build_hostile"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def seed(execute: Any, schema: str = SCHEMA) -> None:
    execute(f"create schema {_q(schema)}")
    for table, columns in TABLES.items():
        cols = ", ".join(f"{_q(c)} {'timestamp' if c == 'timestamp' else 'varchar'}" for c in columns)
        execute(f"create table {_q(schema)}.{_q(table)} ({cols})")
        values = ", ".join("current_timestamp" if c == "timestamp" else f"'{table}-{i}'" for i, c in enumerate(columns))
        execute(f"insert into {_q(schema)}.{_q(table)} values ({values})")


def make_project(root: Path, profiles: str) -> Path:
    (root / "schemas" / ".reflekt" / "meta").mkdir(parents=True)
    (root / "reflekt_project.yml").write_text(
        "version: 1.0\nname: hostile\nvendor: com.example\ndefault_profile: dev\n"
        "artifacts:\n  dbt:\n    docs:\n      schema_tests: true\n      tests:\n        id: [not_null]\n",
        encoding="utf-8",
    )
    (root / "reflekt_profiles.yml").write_text(profiles, encoding="utf-8")
    schema_id = "segment/x/Select/1-0.json"
    data = event_schema(schema_id, PROPS, required=["order"])
    data["self"]["metadata"] = {"owner": "O'Brien \\ {% raw %} {{ x }} #} ;--"}
    write_schema(root / "schemas", schema_id, data)
    return root


def _build(cli: Any, root: Path, source: str) -> dict[str, str]:
    result = cli("--project-dir", root, "build", "dbt", "--source", source, "--sdk", "segment")
    assert result.code == 0, result.output
    package = root / "artifacts" / "dbt" / "hostile"
    return {p.relative_to(package).as_posix(): p.read_text("utf-8") for p in package.rglob("*") if p.is_file()}


def _relations(files: dict[str, str]) -> dict[tuple[str, str], str]:
    """source('x', 'name') -> the quoted relation, read back from the generated sources yml."""
    out = {}
    for rel, text in files.items():
        if "__src_" in rel:
            for source in yaml.safe_load(text)["sources"]:
                # quoting: false means the yml holds the name already quoted (dbt would not escape it)
                schema = source["schema"]
                if source.get("quoting", {}).get("schema") is not False:
                    schema = _q(schema)
                for table in source["tables"]:
                    ident = table.get("identifier", table["name"])
                    if table.get("quoting", {}).get("identifier") is not False:
                        ident = _q(ident)
                    out[(source["name"], table["name"])] = f"{schema}.{ident}"
    return out


def _run_models(files: dict[str, str], query: Any) -> int:
    relations = _relations(files)
    count = 0
    for rel, text in sorted(files.items()):
        if rel.endswith(".sql"):
            sql = compile_sql(text, lambda s, t: relations[(s, t)])
            rows = query(f"select * from ({sql}) as model")
            assert rows, rel
            count += 1
    return count


def test_hostile_names_run_in_duckdb(cli, tmp_path: Path) -> None:
    import duckdb

    raw = tmp_path / "raw.duckdb"
    with duckdb.connect(str(raw)) as conn:
        seed(conn.execute)
    root = make_project(tmp_path / "p", duckdb_profiles(raw))
    files = _build(cli, root, f'wh.raw."{SCHEMA.replace(chr(34), chr(34) * 2)}"')
    model = files["models/staging/raw_events_drop/stg_raw_events_drop__select.sql"]
    assert '"we""ird;col" as we_ird_col' in model
    assert '"order"' in model
    with duckdb.connect(str(raw), read_only=True) as conn:
        assert _run_models(files, lambda q: conn.execute(q).fetchall()) == 2
    # and real dbt agrees: sources, quoting and the generated tests all resolve
    (tmp_path / "profiles.yml").write_text(
        f"reflekt_test:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '{raw}'\n",
        encoding="utf-8",
    )
    built = run_dbt(["build"], root / "artifacts" / "dbt" / "hostile", tmp_path, tmp_path)
    assert built.returncode == 0, built.stdout[-4000:]
    assert "ERROR=0" in built.stdout


@pytest.mark.postgres
def test_hostile_names_run_in_postgres(cli, tmp_path: Path, postgres_db: dict[str, Any]) -> None:
    import psycopg

    pg = postgres_db
    with psycopg.connect(host=pg["host"], port=pg["port"], user=pg["user"], dbname=pg["database"],
                         autocommit=True) as conn:
        seed(conn.execute)
        root = make_project(tmp_path / "p", postgres_profiles(pg))
        files = _build(cli, root, f'pg.{pg["database"]}."{SCHEMA.replace(chr(34), chr(34) * 2)}"')
        assert _run_models(files, lambda q: conn.execute(q).fetchall()) == 2


def test_hostile_names_run_in_snowflake_through_fakesnow(cli, tmp_path: Path) -> None:
    fakesnow = pytest.importorskip("fakesnow")
    import snowflake.connector

    profiles = "dev:\n  source:\n    - id: sf\n      type: snowflake\n      account: fake\n      user: fake\n"
    root = make_project(tmp_path / "p", profiles)
    with fakesnow.patch():
        conn = snowflake.connector.connect(account="fake", user="fake")
        cur = conn.cursor()
        cur.execute("create database raw")
        cur.execute("use database raw")
        # fakesnow cannot create a schema whose name holds quotes or spaces: hostile tables and columns only
        seed(cur.execute, "RAW_EVENTS")
        files = _build(cli, root, "sf.raw.raw_events")
        model = files["models/staging/raw_events/stg_raw_events__select.sql"]
        assert '"order"' in model and '"TIMESTAMP"' not in model  # quoted DDL keeps the lower-case names

        def query(sql: str) -> list:
            cur.execute(sql)
            return cur.fetchall()

        assert _run_models(files, query) == 2


@pytest.mark.parametrize("dialect", ["bigquery", "redshift"])
def test_hostile_names_parse_in_dialects_without_a_local_engine(tmp_path: Path, dialect: str) -> None:
    import sqlglot

    from reflekt.builders.dbt.package import BuildInputs, render_package
    from reflekt.project import load_project
    from reflekt.schema import load_schema
    from reflekt.selection import select
    from reflekt.warehouses.base import Column
    from reflekt.warehouses.dialects import get_dialect

    root = make_project(tmp_path / "p", "dev: {}\n")
    project = load_project(root)
    schemas = [load_schema(project.schemas_dir / i, project.schemas_dir) for i in select(project.schemas_dir, None)]
    tables = {t: [Column(t, c, "STRING", i + 1) for i, c in enumerate(cols)] for t, cols in TABLES.items()}
    inputs = BuildInputs("hostile", project.config.artifacts.dbt, get_dialect(dialect), "raw_events", "my-project",
                         "raw_events", schemas, tables, "segment")
    files = render_package(inputs, tmp_path / "out").files
    model = files["models/staging/raw_events/stg_raw_events__select.sql"]
    sql = compile_sql(model, lambda s, t: f"raw_events.{get_dialect(dialect).identifier(t)}")
    parsed = sqlglot.parse_one(sql, read=dialect)
    selected = [e.alias_or_name for e in parsed.find(sqlglot.exp.CTE, bfs=True).this.expressions]
    renamed = next(c for c in parsed.find_all(sqlglot.exp.CTE) if c.alias == "renamed").this
    names = [e.alias_or_name for e in renamed.expressions]
    assert selected == ["*"]
    assert {"order", "we_ird_col", "prix", "unicode", "schema_metadata"} <= set(names)
    metadata = next(e for e in renamed.expressions if e.alias_or_name == "schema_metadata")
    assert metadata.find(sqlglot.exp.Literal).this == '{"owner": "O\'Brien \\\\ {% raw %} {{ x }} #} ;--"}'
