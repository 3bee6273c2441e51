"""`reflekt validate`: check event payloads from a file, stdin or the warehouse against the schemas."""

from __future__ import annotations

from typing import Annotated

import typer

from reflekt.errors import ExitCode, UsageError

FORMATS = ("text", "json")


def command(
    ctx: typer.Context,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", "-s", metavar="SELECTOR", help="Schemas to validate against (default: all)."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", metavar="SELECTOR", help="Schemas to leave out.")
    ] = None,
    events: Annotated[
        str | None,
        typer.Option("--events", "-e", metavar="PATH|-",
                     help="JSON Lines file of payloads (Segment, RudderStack, Avo or Iglu), or - for stdin."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", metavar="ID.DATABASE.SCHEMA",
                     help="Sample raw events from the warehouse: <source_id>.<database>.<schema>."),
    ] = None,
    sdk: Annotated[
        str, typer.Option("--sdk", metavar="NAME", help="How the collector lays events out in the warehouse.")
    ] = "segment",
    limit: Annotated[
        int, typer.Option("--limit", min=1, metavar="N", help="With --source: rows sampled per event table.")
    ] = 1000,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE",
                     help="With --source: only rows received since this ISO date/time (e.g. 2024-05-01)."),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", metavar="text|json", help="Output format: text or json.")
    ] = "text",
    fail_on_unknown: Annotated[
        bool, typer.Option("--fail-on-unknown", help="Also exit 1 when a payload matches no selected schema.")
    ] = False,
    max_line_bytes: Annotated[
        int,
        typer.Option("--max-line-bytes", min=1, metavar="BYTES",
                     help="Lines longer than this are reported as bad and skipped."),
    ] = 1 << 20,
) -> None:
    """Validate real event payloads against the schemas; exit 1 when any is invalid.

    Example: reflekt validate --select segment/ecommerce --events events.jsonl

    Example: reflekt validate --source warehouse.analytics.segment --sdk segment --limit 500 --since 2024-05-01
    """
    if output_format not in FORMATS:
        raise UsageError(f"unknown --format {output_format!r}", hint="choose one of: " + ", ".join(FORMATS))
    if (events is None) == (source is None):
        raise UsageError(
            "pass exactly one of --events and --source",
            hint="--events events.jsonl (or - for stdin), or --source <source_id>.<database>.<schema>",
        )
    from reflekt.validate.formatters import FORMATTERS
    from reflekt.validate.run import load_catalog, validate_events_file, validate_warehouse

    runtime = ctx.obj
    project = runtime.project()
    catalog = load_catalog(project.schemas_dir, select, exclude)
    if events is not None:
        results = validate_events_file(catalog, events, max_line_bytes)
    else:
        results = validate_warehouse(catalog, runtime.profile(), source, sdk=sdk, limit=limit, since=since)
    FORMATTERS[output_format](results)
    failed = results.invalid or results.bad_line_count or (fail_on_unknown and results.unknown_count)
    if failed:
        raise typer.Exit(ExitCode.FINDINGS)
