"""`reflekt init --demo`: clean e-commerce schemas + Segment-shaped DuckDB data, end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reflekt.cli.main import run
from reflekt.demo.data import generate_rows, table_columns
from reflekt.demo.events import EVENTS
from reflekt.errors import ExitCode

STANDARD = [
    "id", "anonymous_id", "user_id", "event", "event_text", "timestamp", "original_timestamp", "sent_at",
    "received_at", "uuid_ts", "context_ip", "context_library_name", "context_library_version",
    "context_page_path", "context_page_url", "context_user_agent",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo-project"
    assert run(["init", "--demo", "--no-input", "--dir", str(root), "--force"]) == ExitCode.OK
    return root


def _schemas(root: Path) -> list[Path]:
    return sorted((root / "schemas" / "segment" / "ecommerce").rglob("*.json"))


def test_demo_has_the_ecommerce_events_with_two_cart_viewed_versions(demo: Path) -> None:
    ids = [p.relative_to(demo / "schemas").as_posix() for p in _schemas(demo)]
    assert len(ids) == 10
    for expected in ("Identify/1-0", "Group/1-0", "Page/1-0", "Product Viewed/1-0", "Product Added/1-0",
                     "Cart Viewed/1-0", "Cart Viewed/2-0", "Checkout Started/1-0", "Order Completed/1-0"):
        assert f"segment/ecommerce/{expected}.json" in ids


def test_demo_schemas_follow_the_default_conventions_and_the_meta_schema(demo: Path) -> None:
    import jsonschema

    meta = json.loads((demo / "schemas/.reflekt/meta/1-0.json").read_text())
    validator = jsonschema.Draft7Validator(meta)
    for path in _schemas(demo):
        schema = json.loads(path.read_text())
        assert list(validator.iter_errors(schema)) == [], path
        assert schema["$id"] == path.relative_to(demo / "schemas").as_posix()
        assert re.fullmatch(r"[A-Z][a-z]+( [A-Z][a-z]+)*", schema["self"]["name"])
        assert set(schema["self"]["metadata"]) == {"code_owner", "product_owner"}
        assert schema["description"]
        for name, prop in schema["properties"].items():
            assert re.fullmatch(r"[a-z]+(_[a-z]+)*", name), name
            assert prop["description"], name


def test_demo_database_is_segment_shaped(demo: Path) -> None:
    import duckdb

    with duckdb.connect(str(demo / "data" / "demo.duckdb"), read_only=True) as conn:
        assert conn.execute("select current_database()").fetchone()[0] == "demo"
        rows = conn.execute(
            "select table_name, list(column_name order by ordinal_position) from information_schema.columns "
            "where table_catalog = 'demo' and table_schema = 'ecommerce' group by 1"
        ).fetchall()
        tables = dict(rows)
        total = sum(conn.execute(f'select count(*) from ecommerce."{t}"').fetchone()[0] for t in tables)
    assert {"tracks", "identifies", "users", "pages", "groups", "product_viewed", "order_completed",
            "cart_viewed", "checkout_started"} <= set(tables)
    assert tables["tracks"] == STANDARD
    assert tables["order_completed"][: len(STANDARD)] == STANDARD
    assert {"shipping_method", "shipping_cost"} <= set(tables["checkout_started"])  # nested object flattened
    assert {"value", "currency"} <= set(tables["cart_viewed"])  # 2-0 columns share the table
    assert 300 <= total <= 2000


def test_every_schema_property_has_a_column() -> None:
    columns = {table: {name for name, _ in spec} for table, spec in table_columns().items()}
    for event in EVENTS:
        for prop in event.props:
            names = [f"{prop.name}_{c.name}" for c in prop.children] if prop.children else [prop.name]
            assert set(names) <= columns[event.table], (event.name, prop.name)


def test_demo_data_is_deterministic() -> None:
    assert generate_rows() == generate_rows()
    assert generate_rows(seed=1) != generate_rows()


def test_demo_commands_of_the_readme_succeed(demo: Path, cli) -> None:
    debug = cli("--project-dir", demo, "debug")
    assert debug.code == ExitCode.OK, debug.output
    lint = cli("--project-dir", demo, "lint")
    assert lint.code == ExitCode.OK, lint.output
    build = cli("--project-dir", demo, "build", "dbt", "--select", "segment/ecommerce",
                "--source", "demo.demo.ecommerce", "--sdk", "segment")
    assert build.code == ExitCode.OK, build.output
    assert "0 skipped" in build.output
    wrong_catalog = cli("--project-dir", demo, "build", "dbt", "--select", "segment/ecommerce",
                        "--source", "demo.main.ecommerce", "--sdk", "segment")
    assert wrong_catalog.code == ExitCode.USAGE and "catalog" in wrong_catalog.stderr


def test_demo_refuses_an_existing_project_without_force(demo: Path, cli) -> None:
    result = cli("init", "--demo", "--no-input", "--dir", demo)
    assert result.code == ExitCode.USAGE and "already exists" in result.stderr


@pytest.mark.dbt
def test_real_dbt_builds_the_demo_package(demo: Path, cli, tmp_path: Path) -> None:
    """The README's first command ends in a dbt package that real dbt builds, tests included."""
    from tests.builders.conftest import run_dbt

    build = cli("--project-dir", demo, "build", "dbt", "--select", "segment/ecommerce",
                "--source", "demo.demo.ecommerce", "--sdk", "segment")
    assert build.code == ExitCode.OK, build.output
    # dbt writes its views to its own file and reads the demo data from the attached, read-only catalog
    (tmp_path / "profiles.yml").write_text(
        "reflekt_test:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        f"      path: '{tmp_path / 'dbt.duckdb'}'\n      threads: 1\n"
        f"      attach:\n        - path: '{demo / 'data' / 'demo.duckdb'}'\n          read_only: true\n",
        encoding="utf-8",
    )
    built = run_dbt(["build"], demo / "artifacts" / "dbt" / "reflekt_demo", tmp_path, tmp_path)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-2000:]
    assert re.search(r"PASS=\d+ WARN=0 ERROR=0 SKIP=0", built.stdout), built.stdout[-2000:]
