"""`reflekt debug`: one row per check, real DuckDB and PostgreSQL, exit 0 only when all pass."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from reflekt.debug import guarded
from reflekt.errors import ExitCode
from reflekt.init.templates import meta_schema_text
from tests.helpers import event_schema, write_schema

PASSWORD = "pg-pass-Xy7-never-print-me"


def _project(root: Path, profiles: str, schemas: dict | None = None) -> Path:
    meta = root / "schemas" / ".reflekt" / "meta" / "1-0.json"
    meta.parent.mkdir(parents=True)
    meta.write_text(meta_schema_text())
    (root / "reflekt_project.yml").write_text("name: shop\nvendor: com.example\ndefault_profile: dev\n")
    (root / "reflekt_profiles.yml").write_text(profiles)
    for schema_id, data in (schemas or {}).items():
        write_schema(root / "schemas", schema_id, data)
    return root


def _rows(stdout: str) -> dict[str, tuple[str, str]]:
    """The debug table as {check: (status, details)} (columns are separated by 2+ spaces)."""
    rows = {}
    for line in stdout.splitlines()[1:]:
        parts = re.split(r"\s{2,}", line, maxsplit=2)
        if len(parts) == 3:
            rows[parts[0]] = (parts[1], parts[2])
    return rows


def _duckdb_file(path: Path) -> Path:
    import duckdb

    with duckdb.connect(str(path)) as conn:
        conn.execute("create table t as select 1 as x")
    return path


def test_all_checks_pass_against_a_real_duckdb_file(cli, tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    _duckdb_file(root / "wh.duckdb")
    sid = "shop/Order Completed/1-0.json"
    _project(root, "dev:\n  source:\n    - {id: wh, type: duckdb, path: wh.duckdb}\n", {sid: event_schema(sid)})
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.OK, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["check", "status", "details"]
    assert [line.split()[0:2] for line in lines[1:5]] == [["project", "file"], ["profiles", "file"], ["meta-schema", "ok"], ["schemas", "ok"]]
    assert "1 schema(s) parse and match the meta-schema" in result.stdout
    assert _rows(result.stdout)["source wh (duckdb)"][0] == "ok"
    assert _rows(result.stdout)["source wh (duckdb)"][1].startswith("DuckDB")
    assert result.stdout.rstrip().endswith("All 5 checks passed.")


@pytest.mark.postgres
def test_postgres_source_passes_and_its_password_never_shows(cli, tmp_path: Path, postgres_db) -> None:
    db = postgres_db
    profiles = (
        "dev:\n  source:\n    - id: pg\n      type: postgres\n"
        f"      host: {db['host']}\n      port: {db['port']}\n      database: {db['database']}\n"
        f"      user: {db['user']}\n      password: {PASSWORD}\n"
    )
    root = _project(tmp_path / "p", profiles)
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.OK, result.output
    status, detail = _rows(result.stdout)["source pg (postgres)"]
    assert status == "ok" and detail.startswith("PostgreSQL")
    log_text = "".join(p.read_text() for p in (root / ".logs").glob("*.log"))
    assert PASSWORD not in result.output and PASSWORD not in log_text


@pytest.mark.postgres
def test_unknown_postgres_database_is_a_failed_row(cli, tmp_path: Path, postgres_db) -> None:
    db = postgres_db
    profiles = (
        "dev:\n  source:\n    - id: pg\n      type: postgres\n"
        f"      host: {db['host']}\n      port: {db['port']}\n      database: {db['database']}_nope\n"
        f"      user: {db['user']}\n      password: {PASSWORD}\n"
    )
    root = _project(tmp_path / "p", profiles)
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.USAGE
    status, detail = _rows(result.stdout)["source pg (postgres)"]
    assert status == "FAIL" and f"{db['database']}_nope" in detail
    assert "error: 1 of 5 checks failed: source pg (postgres)" in result.stderr
    assert PASSWORD not in result.output


def test_missing_duckdb_file_and_broken_schema_are_reported_together(cli, tmp_path: Path) -> None:
    root = _project(
        tmp_path / "p",
        "dev:\n  source:\n    - {id: wh, type: duckdb, path: nope.duckdb}\n",
        {"shop/Broken/1-0.json": '{\n  "self": {,\n}'},
    )
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.USAGE
    rows = _rows(result.stdout)
    assert rows["schemas"][0] == "FAIL" and "Broken/1-0.json:2:12: invalid JSON" in rows["schemas"][1]
    assert rows["source wh (duckdb)"][0] == "FAIL"
    assert rows["source wh (duckdb)"][1].startswith("DuckDB file not found")
    assert "error: 2 of 5 checks failed: schemas, source wh (duckdb)" in result.stderr


def test_schema_not_matching_the_meta_schema_fails(cli, tmp_path: Path) -> None:
    sid = "shop/Order Completed/1-0.json"
    bad = event_schema(sid)
    del bad["self"]["vendor"]
    root = _project(tmp_path / "p", "dev: {}\n", {sid: bad})
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.USAGE
    assert "does not match the meta-schema at self: 'vendor' is a required property" in result.stdout


def test_missing_or_invalid_meta_schema_fails(cli, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "dev: {}\n")
    meta = root / "schemas" / ".reflekt" / "meta" / "1-0.json"
    meta.write_text('{"type": 12}')
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.USAGE
    status, detail = _rows(result.stdout)["meta-schema"]
    assert status == "FAIL" and "not a valid JSON Schema at type" in detail
    meta.unlink()
    result = cli("--project-dir", root, "debug")
    assert "1-0.json not found (create it with `reflekt init --force`)" in result.stdout


def test_registry_without_a_module_is_a_failed_row_not_a_crash(cli, tmp_path: Path, monkeypatch) -> None:
    from reflekt.registries import base

    monkeypatch.setitem(base.REGISTRIES, "avo", "reflekt.registries.not_built_yet:AvoRegistry")
    profiles = (
        "dev:\n  registry:\n    - {type: avo, workspace_id: ws, service_account_name: bot, "
        "service_account_secret: avo-secret-never-print}\n"
    )
    root = _project(tmp_path / "p", profiles)
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.USAGE
    assert _rows(result.stdout)["registry avo"] == ("FAIL", "the 'avo' registry is not available in this build yet")
    assert "avo-secret-never-print" not in result.output


def test_missing_profiles_file_is_a_config_error(cli, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "")
    (root / "reflekt_profiles.yml").unlink()
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.USAGE
    assert "error: no reflekt_profiles.yml found (looked in: " in result.stderr


def test_profile_option_picks_another_profile(cli, tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "dev:\n  source:\n    - {id: wh, type: duckdb, path: nope.duckdb}\nci: {}\n")
    result = cli("--project-dir", root, "debug", "--profile", "ci")
    assert result.code == ExitCode.OK, result.output
    assert "(profile 'ci')" in result.stdout and "profile 'ci' has no registry or source" in result.stdout


def test_a_hanging_check_times_out() -> None:
    started = time.monotonic()
    check = guarded("slow thing", lambda: time.sleep(5) or "never", timeout=0.2)
    assert (check.ok, check.detail) == (False, "timed out after 0.2s")
    assert time.monotonic() - started < 2


def test_an_unexpected_driver_error_becomes_a_row() -> None:
    def boom() -> str:
        raise OSError("socket closed\nsecond line")

    assert guarded("src", boom, timeout=5).detail == "OSError: socket closed"


def test_missing_driver_row_names_the_extra_to_install(cli, tmp_path: Path) -> None:
    try:
        import google.cloud.bigquery  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("google-cloud-bigquery is installed here")
    root = _project(tmp_path / "p", "dev:\n  source:\n    - {id: bq, type: bigquery, project: my-proj}\n")
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.USAGE
    status, detail = _rows(result.stdout)["source bq (bigquery)"]
    assert status == "FAIL" and detail.endswith("(pip install 'reflekt[bigquery]')")
