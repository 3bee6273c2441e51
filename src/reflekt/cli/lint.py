"""`reflekt lint`: check schemas against the project's conventions and JSON Schema sanity."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reflekt.errors import ExitCode, UsageError

FORMATS = ("text", "json", "github", "sarif")
FAIL_ON = ("error", "warning", "info")
PROGRESS_MIN_FILES = 500


def command(
    ctx: typer.Context,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", "-s", metavar="SELECTOR",
                     help="Schemas to lint: folder, file, $id or glob (repeatable; default: all)."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", metavar="SELECTOR", help="Schemas to leave out (repeatable).")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="Output: text, json, github or sarif.")
    ] = "text",
    fail_on: Annotated[
        str, typer.Option("--fail-on", metavar="SEVERITY", help="Lowest severity that exits 1: error, warning, info.")
    ] = "error",
    explain: Annotated[
        str | None,
        typer.Option("--explain", metavar="RULE",
                     help="Print the documentation of a rule (code or name) and exit; 'all' lists rules."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite --output even if it is not a lint report.")
    ] = False,
) -> int:
    """Lint schemas against naming, metadata, type, warehouse and versioning rules.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or config problems.

    Example: reflekt lint --select segment/ecommerce

    Example: reflekt lint --format sarif --output lint.sarif

    Example: reflekt lint --explain NM02
    """
    from reflekt import console

    if explain is not None:
        return _explain(explain)
    if output_format not in FORMATS:
        raise UsageError(f"unknown --format {output_format!r}", hint=f"use one of: {', '.join(FORMATS)}")
    if fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {fail_on!r}", hint=f"use one of: {', '.join(FAIL_ON)}")

    from reflekt.lint.formatters import FORMATTERS, format_text, summary_line
    from reflekt.lint.rule import Severity
    from reflekt.lint.runner import run_lint

    if output is not None and not force:
        _check_output_replaceable(output)  # before linting: a typo'd path fails fast
    project = ctx.obj.project()
    with _progress() as progress:
        result = run_lint(project, select, exclude, progress=progress)

    if result.meta_schema is None and result.files:
        console.err(f"note: no meta-schema at {project.meta_schema_path.relative_to(project.root)}; "
                    "rule SC01 (required metadata) was skipped", style="hint")
    if output_format == "text":
        to_file = output is not None
        report = format_text(result, color=not to_file and console.use_color())
    else:
        report = FORMATTERS[output_format](result)
    if output is not None:
        from reflekt.fsutil import atomic_write_text

        try:
            atomic_write_text(output, report)
        except OSError as exc:
            raise UsageError(f"cannot write --output {output}: {exc.strerror or exc}",
                             hint="pass a file path in a writable folder") from None
        console.err(summary_line(result))
        console.err(f"report written to {output}")
    else:
        sys.stdout.write(report)
        if output_format != "text":  # text ends with its own summary; machine formats keep stdout clean
            console.err(summary_line(result))
    threshold = Severity(fail_on).rank
    failing = any(f.severity.rank >= threshold for f in result.findings)
    return ExitCode.FINDINGS if failing else ExitCode.OK


def _check_output_replaceable(output: Path) -> None:
    """Never overwrite a file the user wrote (reflekt_project.yml, a schema, notes) with a report."""
    from reflekt.lint.formatters import looks_like_lint_report

    try:
        if output.is_dir():
            raise UsageError(f"cannot write --output {output}: it is a folder", hint="pass a file path, e.g. lint.sarif")
        if not output.exists():
            return
        if not output.is_file():  # /dev/stdout, a FIFO: reading it would hang, and no atomic write fits it
            raise UsageError(f"--output {output} is not a regular file",
                             hint="leave out --output to print the report to stdout")
        existing = output.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"cannot use --output {output}: {exc.strerror or exc}",
                         hint="pass a file path in a writable folder") from None
    if not looks_like_lint_report(existing):
        raise UsageError(
            f"--output {output} exists and is not a lint report",
            hint="choose another path, or pass --force to overwrite it",
        )


def _explain(key: str) -> int:
    from reflekt import console
    from reflekt.lint.runner import explain, rule_summaries

    if key.lower() in ("all", "list", "rules"):
        console.table(
            ["CODE", "NAME", "SEVERITY", "DESCRIPTION"],
            [[s["code"], s["name"], s["severity"], s["summary"]] for s in rule_summaries()],
        )
        return ExitCode.OK
    try:
        code, name, doc = explain(key)
    except KeyError:
        raise UsageError(f"unknown rule {key!r}", hint="`reflekt lint --explain all` lists the rules") from None
    console.out(f"{code} {name}")
    console.out()
    console.out(doc)
    return ExitCode.OK


class _progress:
    """A rich progress bar on stderr, only when stderr is a TTY and the run is big."""

    def __init__(self) -> None:
        self._bar = None
        self._task = None

    def __enter__(self):
        if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
            return None
        return self._update

    def _update(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_FILES:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("linting", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
