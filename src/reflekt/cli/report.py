"""`reflekt report`: the tracking plan as a human catalog (markdown or one static HTML page)."""

from __future__ import annotations

from pathlib import Path

import typer


def command(
    ctx: typer.Context,
    select: list[str] | None = typer.Option(None, "--select", "-s", metavar="SELECTOR", help="Schemas to include (default: all)."),
    exclude: list[str] | None = typer.Option(None, "--exclude", metavar="SELECTOR", help="Schemas to leave out."),
    output_format: str | None = typer.Option(
        None, "--format", "-f", metavar="markdown|html", help="markdown or html (default: from the --output suffix, else markdown)."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="PATH", help="File to write (default: print to stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite --output even if reflekt did not write it."),
) -> None:
    """Write a catalog of the tracking plan for people who don't read JSON: events, owners, versions,
    what changed between them, and every property.

    Example: reflekt report --select segment/ecommerce --format html --output tracking-plan.html

    Example: reflekt report --select segment/ecommerce > TRACKING_PLAN.md
    """
    from reflekt import console
    from reflekt.report.run import pick_format, render_report, write_report

    project = ctx.obj.project()
    fmt = pick_format(output_format, output)
    text, report = render_report(project.config.name, project.schemas_dir, select, exclude, fmt)
    if output is None:
        console.out(text.rstrip("\n"))
        return
    write_report(text, output, force=force)
    count = len(report.events)
    console.success(f"Wrote {fmt} report of {count} event{'' if count == 1 else 's'} to {output}")
