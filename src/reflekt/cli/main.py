"""The `reflekt` app, its global options and the one error boundary.

Command modules are listed in COMMANDS and hold no heavy imports at module level, so
`reflekt --help` never loads a warehouse driver, dbt or sqlglot.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path

import typer

from reflekt import __version__, console, logs
from reflekt.errors import ExitCode, ReflektError, display_path
from reflekt.runtime import Runtime

try:  # typer >= 0.20 vendors click and raises its own Exit/Abort
    from typer._click.exceptions import ClickException

    _EXIT: tuple[type[BaseException], ...] = (typer.Exit,)
    _ABORT: tuple[type[BaseException], ...] = (typer.Abort,)
except ImportError:  # pragma: no cover - older typer on the click package
    from click.exceptions import Abort as _ClickAbort
    from click.exceptions import ClickException
    from click.exceptions import Exit as _ClickExit

    _EXIT = (typer.Exit, _ClickExit)
    _ABORT = (typer.Abort, _ClickAbort)

# name -> "module:attribute"; a typer.Typer attribute becomes a command group (e.g. `build dbt`)
COMMANDS: dict[str, str] = {
    "init": "reflekt.cli.init:command",
    "debug": "reflekt.cli.debug:command",
    "lint": "reflekt.cli.lint:command",
    "pull": "reflekt.cli.pull:command",
    "push": "reflekt.cli.push:command",
    "build": "reflekt.cli.build:app",
    "validate": "reflekt.cli.validate:command",
    "report": "reflekt.cli.report:command",
}

# Options that may also be written after the command, dbt-style (`reflekt lint --project-dir x`).
GLOBAL_VALUE_OPTIONS = {"--project-dir", "--profile", "--profiles-dir", "--profiles-path"}
GLOBAL_FLAGS = {"--debug", "--no-color"}

app = typer.Typer(
    name="reflekt",
    help="Event schemas as code: lint them, sync them with registries, and build dbt packages.\n\n"
    "Example: reflekt lint --select segment/ecommerce",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _show_version(value: bool) -> None:
    if value:
        console.out(f"reflekt {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: bool | None = typer.Option(
        None, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
    project_dir: Path | None = typer.Option(
        None, "--project-dir", help="Folder with reflekt_project.yml (default: search upward from cwd)."
    ),
    profile: str | None = typer.Option(None, "--profile", help="Profile to use (default: default_profile)."),
    profiles_dir: Path | None = typer.Option(
        None, "--profiles-dir", "--profiles-path", help="reflekt_profiles.yml, or the folder holding it."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks and debug logs."),
    no_color: bool = typer.Option(False, "--no-color", help="Plain output without colors."),
) -> None:
    """Event schemas as code."""
    if no_color:
        console.set_color(False)
    ctx.obj = Runtime(
        project_dir=project_dir,
        profile_name=profile,
        profiles_path=profiles_dir,
        debug=debug,
        command=ctx.invoked_subcommand or "reflekt",
    )


def _register() -> None:
    for name, target in COMMANDS.items():
        module_name, attribute = target.split(":")
        obj = getattr(importlib.import_module(module_name), attribute)
        if isinstance(obj, typer.Typer):
            app.add_typer(obj, name=name)
        else:
            app.command(name)(obj)


_register()


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move global options written after the command to the front, where click expects them."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_VALUE_OPTIONS:
            if "=" in arg:
                front.append(arg)
            else:
                front.extend(argv[i : i + 2])
                i += 1
        elif arg in GLOBAL_FLAGS:
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def run(argv: list[str]) -> int:
    """Run the CLI and return the exit code. The only place that catches exceptions."""
    before_dashes = argv[: argv.index("--")] if "--" in argv else argv
    if before_dashes and before_dashes[-1] in GLOBAL_VALUE_OPTIONS:
        # hoisted, `lint --project-dir` would read "lint" as the folder and say "Missing command"
        option = before_dashes[-1]
        console.error(f"option {option} needs a value", f"e.g. {option} {'dev' if option == '--profile' else 'path/to/folder'}")
        return ExitCode.USAGE
    argv = hoist_global_options(argv)
    debug = "--debug" in argv
    if "--no-color" in argv:
        console.set_color(False)
    try:
        result = app(args=argv, prog_name="reflekt", standalone_mode=False)
        code = int(result) if isinstance(result, int) else ExitCode.OK
        if code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C inside a command into a silent Exit(130)
            logs.logger.warning("interrupted")
            console.err("interrupted")
        return code
    except ReflektError as exc:
        logs.logger.error("%s", exc)
        if debug:
            traceback.print_exc()
        console.error(str(exc), exc.hint)
        return exc.exit_code
    except _EXIT as exc:  # type: ignore[misc]
        return exc.exit_code
    except _ABORT as exc:  # type: ignore[misc]
        if isinstance(exc.__context__, EOFError):
            console.error("input ended while a prompt was waiting", "use --no-input with flags for every answer")
            return ExitCode.USAGE
        console.err("interrupted")
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        console.err("interrupted")
        return ExitCode.INTERRUPTED
    except ClickException as exc:
        exc.show()
        return ExitCode.USAGE
    except OSError as exc:
        if exc.filename is None:
            return _internal_error(debug)
        # A file the OS refused (missing, read-only, name too long, disk full): the user's
        # environment, not a reflekt bug. The traceback still goes to the log for a bug report.
        _log_traceback()
        if debug:
            traceback.print_exc()
        # os.replace(temp, target) names both: the target is the file the user knows
        name = os.fsdecode(exc.filename2 if exc.filename2 is not None else exc.filename)
        console.error(f"{display_path(name)}: {exc.strerror or exc}", _os_hint(exc))
        return ExitCode.USAGE
    except Exception:  # noqa: BLE001 - the boundary: anything else is a bug in reflekt
        return _internal_error(debug)
    finally:
        logs.stop_run_log()


def _internal_error(debug: bool) -> int:
    log_path = _log_traceback()
    console.error(
        "unexpected error (this is a bug in reflekt)",
        f"the traceback is in {log_path}; run again with --debug to print it" if log_path else None,
    )
    if debug:
        traceback.print_exc()
    return ExitCode.INTERNAL


def _os_hint(exc: OSError) -> str:
    import errno

    return {
        errno.ENOENT: "check that the path exists",
        errno.EACCES: "check the permissions of the file and its folder",
        errno.EPERM: "check the permissions of the file and its folder",
        errno.EROFS: "the file system is read-only; write somewhere else",
        errno.ENOSPC: "the disk is full; free some space and run again",
        errno.ENAMETOOLONG: "use a shorter path",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EISDIR: "pass a file, not a folder",
        errno.EEXIST: "a part of the path already exists as a file",
    }.get(exc.errno or 0, "check the path and its permissions")


def _log_traceback() -> Path | None:
    text = traceback.format_exc()
    path = logs.current_log_path()
    if path is not None:
        logs.logger.error("unexpected error\n%s", text)
        return path
    import tempfile

    fallback = Path(tempfile.gettempdir()) / "reflekt-logs"
    try:
        fallback.mkdir(parents=True, exist_ok=True)
        log_file = fallback / "last-error.log"
        log_file.write_text(logs.mask(text), encoding="utf-8")
        return log_file
    except OSError:
        return None


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(list(sys.argv[1:] if argv is None else argv)))
