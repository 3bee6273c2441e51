"""`{{ env_var('NAME', 'default') }}` references in config files, and the project's `.env` file."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from reflekt.errors import ConfigError
from reflekt.yamlfile import YamlDocument, read_text_file

_REFERENCE = re.compile(
    r"""\{\{\s*env_var\(\s*(['"])(?P<name>[^'"]*)\1\s*(?:,\s*(['"])(?P<default>[^'"]*)\3\s*)?\)\s*\}\}"""
)
_ANY_TEMPLATE = re.compile(r"\{\{.*?\}\}")


def load_dotenv(path: Path) -> dict[str, str]:
    """Parse a .env file (KEY=VALUE, optional `export`, quotes, comments). Existing env vars win."""
    values: dict[str, str] = {}
    try:
        if not path.is_file():
            return values
    except OSError:  # e.g. a name too long: treated like no .env, as for any missing file
        return values
    for number, raw in enumerate(read_text_file(path, what=".env").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        if "=" not in line:
            raise ConfigError(
                "expected KEY=VALUE", hint="fix or comment out this line", path=path, line=number, col=1
            )
        key, value = (part.strip() for part in line.split("=", 1))
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ConfigError(
                f"invalid variable name {key!r}",
                hint="names use letters, digits and _, and do not start with a digit",
                path=path,
                line=number,
                col=1,
            )
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        if "\0" in value:
            raise ConfigError("a value holds a NUL byte", hint="remove it; no environment variable can hold one",
                              path=path, line=number, col=1)
        values[key] = value
    for key, value in values.items():
        os.environ.setdefault(key, value)
    return values


def interpolate(data: Any, doc: YamlDocument, key_path: tuple = ()) -> Any:
    """Replace env_var references in every string; a missing variable names itself and the file."""
    if isinstance(data, dict):
        return {k: interpolate(v, doc, key_path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [interpolate(v, doc, key_path + (i,)) for i, v in enumerate(data)]
    if not isinstance(data, str) or "{{" not in data:
        return data

    def replace(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        line_col = doc.value_position(key_path)
        raise ConfigError(
            f"environment variable '{name}' is not set",
            hint=f"export {name}=..., add it to the project's .env file, or give a default: "
            f"{{{{ env_var('{name}', 'default') }}}}",
            path=doc.path,
            line=line_col[0] if line_col else None,
            col=line_col[1] if line_col else None,
        )

    # Look for unsupported templates in what the user wrote, not in the result: a substituted
    # value (a password like "ab{{cd") is data, and must never be echoed in an error.
    leftover = _ANY_TEMPLATE.search(_REFERENCE.sub("", data))
    if leftover:
        line_col = doc.value_position(key_path)
        raise ConfigError(
            f"unsupported template {leftover.group(0)!r}",
            hint="only {{ env_var('NAME') }} and {{ env_var('NAME', 'default') }} are supported",
            path=doc.path,
            line=line_col[0] if line_col else None,
            col=line_col[1] if line_col else None,
        )
    return _REFERENCE.sub(replace, data)
