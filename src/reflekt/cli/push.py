"""`reflekt push` (being built; see the issue tracker)."""

from __future__ import annotations

import typer

from reflekt.errors import UsageError


def command(ctx: typer.Context) -> None:
    """Not available yet."""
    raise UsageError("`reflekt push` is not available in this build yet")
