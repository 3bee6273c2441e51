"""`reflekt validate`: check event payloads from a file, stdin or the warehouse against the schemas."""

from __future__ import annotations

import typer

from reflekt.errors import ExitCode, UsageError

FORMATS = ("text", "json")


def command(
    ctx: typer.Context,
    select: list[str] | None = typer.Option(None, "--select", "-s", metavar="SELECTOR", help="Schemas to validate against (default: all)."),
    exclude: list[str] | None = typer.Option(None, "--exclude", metavar="SELECTOR", help="Schemas to leave out."),
    events: str | None = typer.Option(
        None, "--events", "-e", metavar="PATH|-", help="JSON Lines file of payloads (Segment, RudderStack, Avo or Iglu), or - for stdin."
    ),
    source: str | None = typer.Option(
        None, "--source", metavar="ID.DATABASE.SCHEMA", help="Sample raw events from the warehouse: <source_id>.<database>.<schema>."
    ),
    sdk: str = typer.Option("segment", "--sdk", metavar="NAME", help="How the collector lays events out in the warehouse."),
    limit: int = typer.Option(1000, "--limit", min=1, metavar="N", help="With --source: rows sampled per event table."),
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="With --source: only rows received since this ISO date/time (e.g. 2024-05-01)."
    ),
    output_format: str = typer.Option("text", "--format", "-f", metavar="text|json", help="Output format: text or json."),
    fail_on_unknown: bool = typer.Option(
        False, "--fail-on-unknown", help="Also exit 1 when a payload matches no selected schema."
    ),
    max_line_bytes: int = typer.Option(
        1 << 20, "--max-line-bytes", min=1, metavar="BYTES", help="Lines longer than this are reported as bad and skipped."
    ),
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
