"""Turning remote names into safe paths, rendering schema JSON deterministically, writing pulls.

Every registry goes through here, so no registry can write outside schemas/ and an unchanged
pull rewrites nothing.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from reflekt import fsutil
from reflekt.errors import ReflektError, UsageError
from reflekt.registries.base import PullResult

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_TOP_ORDER = [
    "$id",
    "$schema",
    "description",
    "self",
    "type",
    "properties",
    "required",
    "additionalProperties",
]
_SELF_ORDER = ["vendor", "name", "format", "version", "metadata"]


class UnsafeName(ValueError):
    pass


def safe_segment(name: Any, what: str) -> str:
    """A remote name usable as one folder name; raise UnsafeName when nothing sensible remains.

    Separators become '-', control characters and leading dots are dropped (a hidden folder is never
    selected); names that are only dots are refused.
    """
    text = str(name) if name is not None else ""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    text = text.replace("/", "-").replace("\\", "-").strip()
    if text.strip(".") and text.startswith("."):  # hidden folders are never selected: drop the dots
        text = text.lstrip(". ")
    if not text or text in (".", "..") or text.startswith("."):
        raise UnsafeName(f"{what} {name!r} cannot be used as a folder name under schemas/")
    return text


def build_schema(
    schema_id: str,
    *,
    vendor: str,
    name: str,
    version: str,
    description: str,
    metadata: dict[str, Any],
    properties: dict[str, Any],
    required: list[str],
    additional_properties: Any,
    schema_uri: str = DRAFT_07,
) -> dict[str, Any]:
    return {
        "$id": schema_id,
        "$schema": schema_uri,
        "description": description,
        "self": {
            "vendor": vendor,
            "name": name,
            "format": "jsonschema",
            "version": version,
            "metadata": metadata,
        },
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": additional_properties,
    }


def _ordered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _ordered(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def render_schema(data: dict[str, Any]) -> str:
    """Indent 2, known top-level keys first, everything nested sorted, trailing newline."""
    top = {k: _ordered(data[k]) for k in _TOP_ORDER if k in data}
    block = data.get("self")
    if isinstance(block, dict):
        top["self"] = {k: _ordered(block[k]) for k in _SELF_ORDER if k in block}
        top["self"].update({k: _ordered(block[k]) for k in sorted(block) if k not in _SELF_ORDER})
    top.update({k: _ordered(data[k]) for k in sorted(data) if k not in top})
    return json.dumps(top, indent=2, ensure_ascii=False) + "\n"


def check_schema_id(schema_id: str) -> str:
    parts = schema_id.split("/")  # not PurePosixPath: it would silently drop "." parts
    bad = (
        not schema_id
        or any(p in ("", ".", "..") or p.startswith(".") for p in parts)
        or any(unicodedata.category(ch) == "Cc" for ch in schema_id)
        or "\\" in schema_id
        or not schema_id.endswith(".json")
    )
    if bad:
        raise UsageError(
            f"refusing to write {schema_id!r}: it is not a safe path under schemas/",
            hint="the registry returned a name with '/', '..' or control characters",
        )
    return schema_id


def existing_versions(schemas_dir: Path, folder: str) -> list[str]:
    """Version texts of the .json files in schemas/<folder> (an event folder)."""
    path = schemas_dir / folder
    if not path.is_dir():
        return []
    return sorted(p.name.removesuffix(".json") for p in path.glob("*.json") if p.is_file())


@dataclass
class FileOutcome:
    schema_id: str
    status: str  # created | changed | unchanged | deleted


def write_pull(schemas_dir: Path, result: PullResult, *, prune: bool) -> list[FileOutcome]:
    """Write every pulled schema atomically; delete only with prune, only inside covered folders."""
    rendered: dict[str, str] = {}
    for pulled in result.schemas:
        schema_id = check_schema_id(pulled.schema_id)
        if schema_id in rendered:
            raise ReflektError(
                f"two remote schemas map to the same file schemas/{schema_id}",
                hint="rename one of them in the registry; names differing only by '/' collide",
            )
        rendered[schema_id] = render_schema(pulled.data)
    root = schemas_dir.resolve()
    outcomes: list[FileOutcome] = []
    for schema_id, text in sorted(rendered.items()):
        path = schemas_dir / schema_id
        if not path.resolve().is_relative_to(root):
            raise UsageError(f"refusing to write {schema_id!r}: it resolves outside schemas/")
        # compare bytes: a local copy that is not UTF-8 is simply "changed", not a crash
        old = path.read_bytes() if path.is_file() else None
        if old == text.encode("utf-8"):
            outcomes.append(FileOutcome(schema_id, "unchanged"))
            continue
        fsutil.atomic_write_text(path, text)
        outcomes.append(FileOutcome(schema_id, "created" if old is None else "changed"))
    if prune:
        for folder in result.covered_folders:
            base = schemas_dir / folder
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*.json")):
                rel = path.relative_to(schemas_dir).as_posix()
                if rel not in rendered and not any(part.startswith(".") for part in PurePosixPath(rel).parts):
                    path.unlink()
                    outcomes.append(FileOutcome(rel, "deleted"))
                    _remove_empty_parents(path.parent, base)
    return outcomes


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def version_parts(schema: Any, versioning: str) -> tuple[int, ...]:
    """The numeric version of a local schema file, or a SchemaError naming the file."""
    from reflekt.errors import SchemaError
    from reflekt.schema import parse_version

    try:
        return parse_version(schema.id.version_text, versioning).parts
    except SchemaError as exc:
        raise SchemaError(
            f"cannot push: {exc.message} in the file name", hint=exc.hint, path=schema.path
        ) from None
