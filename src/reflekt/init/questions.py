"""What `reflekt init` asks, as data: one table of fields per registry and source type.

The same table drives the interactive prompts and the `--no-input` flags, so both modes
always offer the same choices.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reflekt.errors import UsageError


@dataclass(frozen=True)
class Question:
    key: str  # the key written to reflekt_profiles.yml
    option: str  # the `reflekt init` flag that answers it without a prompt
    prompt: str
    default: Any = None
    secret: bool = False  # hidden input; env_var() suggested in --no-input mode
    required: bool = True
    kind: type = str
    env_var: str | None = None  # written as {{ env_var(...) }} when a secret is not given

    @property
    def param(self) -> str:
        return self.option.removeprefix("--").replace("-", "_")


REGISTRY_QUESTIONS: dict[str, list[Question]] = {
    "segment": [
        Question("api_token", "--segment-api-token", "Segment API token", secret=True, env_var="SEGMENT_API_TOKEN"),
        Question("region", "--segment-region", "Segment region (us/eu)", default="us"),
    ],
    "avo": [
        Question("workspace_id", "--avo-workspace-id", "Avo workspace ID"),
        Question("service_account_name", "--avo-service-account-name", "Avo service account name"),
        Question(
            "service_account_secret",
            "--avo-service-account-secret",
            "Avo service account secret",
            secret=True,
            env_var="AVO_SERVICE_ACCOUNT_SECRET",
        ),
    ],
    "iglu": [
        Question("url", "--iglu-url", "Iglu server URL (or a local folder)"),
        Question("api_key", "--iglu-api-key", "Iglu API key (empty for none)", secret=True, required=False),
    ],
}

_PG = [
    Question("host", "--host", "Host", default="localhost"),
    Question("database", "--database", "Database"),
    Question("user", "--user", "User"),
    Question("password", "--password", "Password (empty for none)", secret=True, required=False),
]

SOURCE_QUESTIONS: dict[str, list[Question]] = {
    "duckdb": [Question("path", "--duckdb-path", "DuckDB file (relative to the project folder)")],
    "postgres": [_PG[0], Question("port", "--port", "Port", default=5432, kind=int), *_PG[1:]],
    "redshift": [_PG[0], Question("port", "--port", "Port", default=5439, kind=int), *_PG[1:]],
    "snowflake": [
        Question("account", "--account", "Snowflake account"),
        Question("user", "--user", "User"),
        Question("password", "--password", "Password", secret=True, env_var="SNOWFLAKE_PASSWORD"),
        Question("database", "--database", "Database", required=False),
        Question("warehouse", "--warehouse", "Warehouse", required=False),
        Question("role", "--role", "Role", required=False),
    ],
    "bigquery": [
        Question("project", "--bq-project", "GCP project"),
        Question("method", "--bq-method", "Auth method (oauth/service-account)", default="oauth"),
        Question("keyfile", "--keyfile", "Service-account key file (empty for none)", required=False),
        Question("location", "--location", "Location (e.g. US, EU; empty for default)", required=False),
    ],
}

REGISTRY_CHOICES = ["none", *REGISTRY_QUESTIONS]
SOURCE_CHOICES = ["none", *SOURCE_QUESTIONS]

Ask = Callable[..., Any]


def answer_fields(
    questions: list[Question], given: dict[str, Any], *, ask: Ask | None, notes: list[str]
) -> dict[str, Any]:
    """Build one profile entry: flags first, then prompts (interactive) or defaults (--no-input)."""
    entry: dict[str, Any] = {}
    for q in questions:
        value = given.get(q.param)
        if value is None and ask is not None:
            value = ask(q)
        if value is None or value == "":
            if q.default is not None:
                value = q.default
            elif q.secret and q.env_var:
                value = f"{{{{ env_var('{q.env_var}') }}}}"
                notes.append(f"{q.key} is read from the environment variable {q.env_var} (set it or add it to .env)")
            elif q.required:
                raise UsageError(
                    f"missing {q.option} (needed for {q.prompt.lower()})",
                    hint=f"pass {q.option} VALUE, or run `reflekt init` without --no-input to be asked",
                )
            else:
                continue
        elif q.secret and ask is None and "env_var(" not in str(value):
            notes.append(
                f"{q.option} was given as plain text; consider {{{{ env_var('NAME') }}}} in the profiles file"
            )
        if q.secret and isinstance(value, str):
            from reflekt import logs

            logs.register_secret(value)  # masked in any later log line or error
        if q.kind is int:
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise UsageError(f"{q.option} must be a whole number, got {value!r}") from None
        entry[q.key] = value
    return entry


def prompt_question(q: Question) -> Any:
    """Ask one question; secrets are hidden on a terminal."""
    if q.secret:
        return hidden_prompt(q.prompt)
    import typer

    default = q.default if q.default is not None else ("" if not q.required else None)
    answer = typer.prompt(q.prompt, default=default, show_default=default not in (None, ""))
    return answer.strip() if isinstance(answer, str) else answer


def hidden_prompt(text: str) -> str:
    """Hidden on a TTY; from a pipe we read the line directly (getpass would open /dev/tty)."""
    import typer

    if sys.stdin.isatty():
        return typer.prompt(text, default="", hide_input=True, show_default=False)
    sys.stdout.write(f"{text}: ")
    sys.stdout.flush()
    line = sys.stdin.readline()
    sys.stdout.write("\n")
    if not line:
        try:
            raise EOFError
        except EOFError:
            raise typer.Abort() from None
    return line.rstrip("\r\n")


def choose(text: str, choices: list[str], default: str) -> str:
    import typer

    answer = typer.prompt(f"{text} ({'/'.join(choices)})", default=default).strip().lower()
    while answer not in choices:
        sys.stdout.write(f"Please choose one of: {', '.join(choices)}\n")
        answer = typer.prompt(f"{text} ({'/'.join(choices)})", default=default).strip().lower()
    return answer
