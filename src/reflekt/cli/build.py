"""`reflekt build <artifact>` (being built; see the issue tracker)."""

from __future__ import annotations

import typer

from reflekt.errors import UsageError

app = typer.Typer(help="Build data artifacts (dbt packages) from schemas.", no_args_is_help=True)


@app.command("dbt")
def dbt(ctx: typer.Context) -> None:
    """Not available yet."""
    raise UsageError("`reflekt build dbt` is not available in this build yet")
