"""Fixtures every test module shares: a CLI runner, project factory, PostgreSQL, ../shared."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from reflekt import console
from reflekt.cli.main import run
from tests.helpers import write_schema

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `reflekt ARGS` in-process; returns exit code, stdout and stderr."""

    def invoke(*args: str | Path) -> CliResult:
        capsys.readouterr()
        code = run([str(a) for a in args])
        console.set_color(None)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


PROJECT_YML = """\
version: 1.0
name: test_project
vendor: com.example
default_profile: dev
"""


@pytest.fixture
def make_project(tmp_path: Path):
    """Create a project under tmp_path: make_project(schemas={id: dict|str}, project_yml=..., profiles_yml=...)."""

    def create(
        schemas: dict[str, Any] | None = None,
        project_yml: str = PROJECT_YML,
        profiles_yml: str | None = None,
        root: Path | None = None,
    ) -> Path:
        root = root or tmp_path / "project"
        (root / "schemas" / ".reflekt" / "meta").mkdir(parents=True, exist_ok=True)
        (root / "reflekt_project.yml").write_text(project_yml, encoding="utf-8")
        if profiles_yml is not None:
            (root / "reflekt_profiles.yml").write_text(profiles_yml, encoding="utf-8")
        for schema_id, data in (schemas or {}).items():
            write_schema(root / "schemas", schema_id, data)
        return root

    return create


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real ~/.reflekt."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    monkeypatch.setenv("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (specs, payloads, corpora). Skips outside CI when absent (a user's fresh clone)."""
    if not SHARED_DIR.is_dir():
        if IN_CI:
            pytest.fail(f"CI=true but {SHARED_DIR} is missing")
        pytest.skip(f"{SHARED_DIR} is absent (it sits beside the repo in CI and dev sessions)")
    return SHARED_DIR


def _postgres_available() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'reflekt[postgres]')"
    try:
        psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL at {PG_HOST}:{PG_PORT} is not reachable: {str(exc).strip()}"
    return None


@pytest.fixture
def postgres_db() -> Iterator[dict[str, Any]]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards. Required (not skipped) in CI."""
    problem = _postgres_available()
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true requires PostgreSQL: {problem}")
        pytest.skip(problem)
    import psycopg

    name = f"reflekt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    try:
        yield {"host": PG_HOST, "port": PG_PORT, "user": PG_USER, "database": name}
    finally:
        with psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')
