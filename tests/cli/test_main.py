import subprocess
import sys
from pathlib import Path

import pytest

from reflekt import __version__
from reflekt.cli.main import COMMANDS, hoist_global_options
from reflekt.errors import ExitCode

HEAVY_MODULES = ["duckdb", "psycopg", "snowflake", "google.cloud", "dbt", "sqlglot", "jsonschema", "httpx", "pydantic"]


def test_version(cli) -> None:
    result = cli("--version")
    assert (result.code, result.stdout.strip()) == (0, f"reflekt {__version__}")


def test_help_lists_every_command_with_an_example(cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for name in COMMANDS:
        assert name in result.stdout
    assert "Example:" in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(cli, name: str) -> None:
    args = [name, "dbt", "--help"] if name == "build" else [name, "--help"]
    result = cli(*args)
    assert result.code == 0, result.output
    assert "Example" in result.stdout, f"`reflekt {' '.join(args)}` help has no example"


def test_unknown_command_is_a_usage_error(cli) -> None:
    result = cli("frobnicate")
    assert result.code == ExitCode.USAGE
    assert "No such command 'frobnicate'" in result.stderr


def test_missing_project_is_a_config_error_without_traceback(cli, tmp_path: Path) -> None:
    result = cli("--project-dir", tmp_path, "lint")
    assert result.code == ExitCode.USAGE
    assert "no reflekt_project.yml in" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.output


def test_global_options_may_follow_the_command() -> None:
    argv = ["lint", "--select", "x", "--project-dir", "p", "--debug", "--profile=prod"]
    assert hoist_global_options(argv) == ["--project-dir", "p", "--debug", "--profile=prod", "lint", "--select", "x"]


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "from reflekt.cli.main import run\n"
        "try:\n    run(['--help'])\nexcept SystemExit:\n    pass\n"
        f"heavy = [m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in {HEAVY_MODULES!r})]\n"
        "print(','.join(sorted(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    heavy = out.splitlines()[-1] if out.splitlines() else ""
    assert heavy == "", f"`reflekt --help` imported: {heavy}"


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "reflekt", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"reflekt {__version__}"


def test_unexpected_errors_exit_3_and_say_where_the_log_is(cli, make_project, monkeypatch) -> None:
    import reflekt.runtime

    def boom(self):  # a bug anywhere in a command must not surface as a traceback
        raise RuntimeError("kaboom")

    monkeypatch.setattr(reflekt.runtime.Runtime, "project", boom)
    root = make_project()
    result = cli("--project-dir", root, "debug")
    assert result.code == ExitCode.INTERNAL
    assert "unexpected error" in result.stderr and "--debug" in result.stderr
    assert "Traceback" not in result.output
    debug = cli("--project-dir", root, "--debug", "debug")
    assert debug.code == ExitCode.INTERNAL and "Traceback" in debug.stderr and "kaboom" in debug.stderr
