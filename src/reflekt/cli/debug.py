"""`reflekt debug`: validate the configuration and try every connection of the profile."""

from __future__ import annotations

import typer


def command(ctx: typer.Context) -> None:
    """Check reflekt_project.yml, the profiles file, the meta-schema, every schema, and each
    registry and source of the profile. Prints one row per check.

    Exit codes: 0 all checks pass; 2 a config file is invalid or a check failed.

    Example: reflekt debug --profile prod
    """
    from reflekt import console
    from reflekt.debug import ChecksFailed, run_checks

    checks = run_checks(ctx.obj)
    console.table(["check", "status", "details"], [[c.name, c.status, c.detail] for c in checks])
    failed = [c for c in checks if not c.ok]
    if failed:
        raise ChecksFailed(
            f"{len(failed)} of {len(checks)} checks failed: {', '.join(c.name for c in failed)}",
            hint="fix the rows marked FAIL above; the log in .logs/ has details",
        )
    console.success(f"All {len(checks)} checks passed.")
