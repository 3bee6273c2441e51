"""`reflekt build dbt`: a dbt package that models and documents the raw event tables."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="Build data artifacts (dbt packages) from schemas.", no_args_is_help=True)


@app.command("dbt")
def dbt(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--source", help="<id>.<database>.<schema> of the raw event tables.")],
    select: Annotated[
        list[str] | None, typer.Option("--select", "-s", help="Schemas to build (folders, files, globs).")
    ] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Schemas to leave out.")] = None,
    sdk: Annotated[str, typer.Option("--sdk", help="How the events were loaded (segment).")] = "segment",
) -> None:
    """Build a dbt package (sources, staging models, docs) for the selected schemas.

    Introspects the raw tables of --source with one query and writes artifacts/dbt/<project name>/.

    Example: reflekt build dbt --select segment/ecommerce --source demo.demo.ecommerce --sdk segment
    """
    from reflekt import console
    from reflekt.builders.dbt.package import build_dbt_package

    runtime = ctx.obj
    project = runtime.project()
    profile = runtime.profile()
    progress = console.err if console.is_interactive() or runtime.debug else None
    report = build_dbt_package(
        project, profile, source=source, sdk=sdk, selects=select, excludes=exclude, progress=progress
    )
    for warning in report.warnings:
        console.warning(warning)
    for what, why in report.skipped:
        console.out(f"skipped {what}: {why}")
    console.success(
        f"built dbt package {report.package_dir}: {len(report.models)} model(s), {len(report.files)} file(s), "
        f"{len(report.skipped)} skipped, {len(report.warnings)} warning(s)"
    )
