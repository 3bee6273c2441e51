"""`reflekt push`: send the schemas in schemas/ to a registry."""

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
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would change; send nothing."),
    delete: bool = typer.Option(False, "--delete", help="Remove the selected schemas from the registry."),
    force: bool = typer.Option(False, "--force", help="Do not ask before deleting."),
    import_method: str | None = typer.Option(
        None, "--import-method", help="Avo only: addOnly, addAndUpdate (default) or addUpdateAndRemove."
    ),
) -> None:
    """Push schemas to a registry (Segment, Avo, Iglu).

    A whole Segment plan replaces its rules; an event select updates only that event. Use
    --dry-run to see added/changed/removed items first.

    Example: reflekt push --select segment/ecommerce --dry-run
    """
    from reflekt import console
    from reflekt.errors import UsageError
    from reflekt.registries import sync
    from reflekt.registries.base import PushOptions

    def confirm(question: str) -> bool:
        if force:
            return True
        if not console.is_interactive():
            raise UsageError(
                "refusing to delete without confirmation in a non-interactive run",
                hint="pass --force to delete without asking",
            )
        return typer.confirm(question, default=False)

    scope = sync.parse_scope(select, registry)
    options = PushOptions(dry_run=dry_run, delete=delete, confirm=confirm, import_method=import_method)
    result = sync.push(ctx.obj, scope, options)
    for note in result.notes:
        console.out(note)
    for change in result.changes:
        sign = {"added": "+", "changed": "~", "removed": "-"}.get(change.kind, "?")
        detail = f"  ({change.detail})" if change.detail else ""
        console.out(f"{sign} {change.kind:8} {change.name}{detail}")
    target = result.target or str(scope)
    if dry_run:
        if result.changes:
            console.out(f"Dry run: {len(result.changes)} change(s) for {target}; nothing was sent")
        else:
            console.out(f"Dry run: no changes for {target}")
    elif result.applied:
        console.success(f"Pushed {len(result.changes)} change(s) to {target}")
    else:
        console.success(f"{target} is up to date; nothing was sent")
