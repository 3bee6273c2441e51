"""`reflekt init`: create a project (interactive, --no-input, or --demo)."""

from __future__ import annotations

from pathlib import Path

import typer

_SECRET = "Prefer {{ env_var('NAME') }} over a plain secret."


def command(
    ctx: typer.Context,
    dir: Path = typer.Option(Path("."), "--dir", help="Folder to create the project in (created if missing)."),
    no_input: bool = typer.Option(False, "--no-input", help="Ask nothing: use flags and defaults."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing project / replace the profile."),
    demo: bool = typer.Option(False, "--demo", help="Create the e-commerce demo (schemas + DuckDB data)."),
    name: str | None = typer.Option(None, "--name", help="Project name (default: the folder name)."),
    vendor: str | None = typer.Option(None, "--vendor", help="Default schema vendor (e.g. com.company)."),
    profile_name: str | None = typer.Option(
        None, "--profile-name", help="Profile to create (the global --profile works too)."
    ),
    registry: str | None = typer.Option(None, "--registry", help="none | segment | avo | iglu"),
    segment_api_token: str | None = typer.Option(None, "--segment-api-token", help=_SECRET),
    segment_region: str | None = typer.Option(None, "--segment-region", help="us | eu"),
    avo_workspace_id: str | None = typer.Option(None, "--avo-workspace-id"),
    avo_service_account_name: str | None = typer.Option(None, "--avo-service-account-name"),
    avo_service_account_secret: str | None = typer.Option(None, "--avo-service-account-secret", help=_SECRET),
    iglu_url: str | None = typer.Option(None, "--iglu-url"),
    iglu_api_key: str | None = typer.Option(None, "--iglu-api-key", help=_SECRET),
    source: str | None = typer.Option(
        None, "--source", help="none | duckdb | postgres | redshift | snowflake | bigquery"
    ),
    source_id: str | None = typer.Option(None, "--source-id", help="Source id (default: the type)."),
    duckdb_path: str | None = typer.Option(None, "--duckdb-path", help="DuckDB file, relative to the project."),
    host: str | None = typer.Option(None, "--host"),
    port: int | None = typer.Option(None, "--port"),
    database: str | None = typer.Option(None, "--database"),
    user: str | None = typer.Option(None, "--user"),
    password: str | None = typer.Option(None, "--password", help=_SECRET),
    account: str | None = typer.Option(None, "--account", help="Snowflake account."),
    warehouse: str | None = typer.Option(None, "--warehouse", help="Snowflake warehouse."),
    role: str | None = typer.Option(None, "--role", help="Snowflake role."),
    bq_project: str | None = typer.Option(None, "--bq-project", help="BigQuery GCP project."),
    bq_method: str | None = typer.Option(None, "--bq-method", help="oauth | service-account"),
    keyfile: str | None = typer.Option(None, "--keyfile", help="BigQuery service-account key file."),
    location: str | None = typer.Option(None, "--location", help="BigQuery location."),
) -> None:
    """Create a Reflekt project: folders, reflekt_project.yml, the meta-schema and a profile.

    Asks for each setting unless --no-input is given (then flags and defaults are used).
    The profiles file (--profiles-path, default ~/.reflekt/reflekt_profiles.yml) is created or
    extended: other profiles are kept as written.

    Example: reflekt init --dir my-project

    \b
    More examples:
      reflekt init --dir my-project --no-input --source duckdb --duckdb-path data/events.duckdb
      reflekt init --dir my-project --no-input --profiles-path my-project --registry segment
      reflekt init --demo --no-input --dir demo-project
    """
    from reflekt.init.flow import run_init

    from reflekt.fsutil import expand_home

    runtime = ctx.obj
    # the answers are exactly the prompt options; ctx.params cannot pick up stray local variables
    given = {k: v for k, v in ctx.params.items() if k not in ("dir", "no_input", "force", "demo")}
    given["profile_name"] = profile_name or runtime.profile_name
    root = expand_home(dir, what="--dir").resolve()
    profiles_path = runtime.profiles_path
    if profiles_path is not None:
        given["profiles_path"] = _profiles_path_for(root, profiles_path)
    run_init(root, given, interactive=not no_input, force=force, demo=demo)


def _profiles_path_for(root: Path, given: Path) -> str:
    """A CLI path is relative to the cwd; reflekt_project.yml stores it relative to the project."""
    from reflekt.fsutil import expand_home

    path = expand_home(given, what="--profiles-path").resolve()
    if path.is_dir() or path.suffix.lower() not in (".yml", ".yaml"):  # a folder, existing or not
        path = path / "reflekt_profiles.yml"
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
