"""`reflekt build dbt` from the command line: output and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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
