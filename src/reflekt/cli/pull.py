"""`reflekt pull`: write the schemas of a registry into schemas/."""

from __future__ import annotations

import typer


def command(
    ctx: typer.Context,
    select: str | None = typer.Option(
        None,
        "--select",
        "-s",
        help="<registry>/<plan-or-branch>[/<Event>[/<version>]], e.g. segment/ecommerce.",
    ),
    registry: str | None = typer.Option(
        None, "--registry", help="segment, avo or iglu (default: from --select)."
    ),
    prune: bool = typer.Option(False, "--prune", help="Delete local schemas the registry no longer has."),
) -> None:
    """Pull schemas from a registry (Segment, Avo, Iglu) into schemas/.

    Files are written atomically; each is reported as created, changed or unchanged. Local files
    are only deleted with --prune.

    Example: reflekt pull --select segment/ecommerce
    """
    from reflekt import console
    from reflekt.registries import sync

    scope = sync.parse_scope(select, registry)
    result, outcomes = sync.pull(ctx.obj, scope, prune=prune)
    for note in result.notes:
        console.out(note)
    for outcome in outcomes:
        console.out(f"{outcome.status:9} schemas/{outcome.schema_id}")
    for reason in result.skipped:
        console.warning(f"skipped: {reason}")
    counts = {
        s: sum(1 for o in outcomes if o.status == s) for s in ("created", "changed", "unchanged", "deleted")
    }
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n or s != "deleted")
    skipped = f", {len(result.skipped)} skipped" if result.skipped else ""
    console.success(f"Pulled {len(result.schemas)} schema(s) from {scope}: {summary}{skipped}")
