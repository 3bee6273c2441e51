"""Event schemas on disk: ids, versions (MAJOR-MINOR or SchemaVer) and loading."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import total_ordering
from pathlib import Path, PurePosixPath
from typing import Any

from reflekt.errors import SchemaError

_MAJOR_MINOR = re.compile(r"[1-9][0-9]*-(0|[1-9][0-9]*)")
_SCHEMAVER = re.compile(r"[1-9][0-9]*-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)")
VERSION_FORMATS = {"major-minor": ("MAJOR-MINOR", "1-0, 1-1, 2-0"), "schemaver": ("MODEL-REVISION-ADDITION", "1-0-0, 1-0-2")}


@total_ordering
@dataclass(frozen=True)
class Version:
    """A schema version; parts compare numerically so 1-10 sorts after 1-9."""

    parts: tuple[int, ...]

    @property
    def major(self) -> int:
        return self.parts[0]

    def __str__(self) -> str:
        return "-".join(str(p) for p in self.parts)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.parts < other.parts


def parse_version(text: str, scheme: str = "major-minor") -> Version:
    """Parse '2-1' (or '1-0-2' under SchemaVer); leading zeros and 0 majors are rejected."""
    pattern = _SCHEMAVER if scheme == "schemaver" else _MAJOR_MINOR
    if not isinstance(text, str) or not pattern.fullmatch(text):
        shape, examples = VERSION_FORMATS[scheme]
        raise SchemaError(
            f"invalid version {text!r}: expected {shape}",
            hint=f"versions start at {'1-0-0' if scheme == 'schemaver' else '1-0'}, have no leading zeros "
            f"and no 0 major (e.g. {examples})",
        )
    return Version(tuple(int(p) for p in text.split("-")))


@dataclass(frozen=True)
class SchemaId:
    """The path of a schema under schemas/, e.g. 'segment/ecommerce/Cart Viewed/1-0.json'."""

    value: str

    @property
    def parts(self) -> tuple[str, ...]:
        return PurePosixPath(self.value).parts

    @property
    def folder(self) -> str:
        """Everything above the event folder ('segment/ecommerce')."""
        return "/".join(self.parts[:-2])

    @property
    def event_name(self) -> str:
        return self.parts[-2] if len(self.parts) >= 2 else ""

    @property
    def version_text(self) -> str:
        return PurePosixPath(self.value).name.removesuffix(".json")

    @classmethod
    def from_path(cls, path: Path, schemas_dir: Path) -> SchemaId:
        return cls(path.resolve().relative_to(schemas_dir.resolve()).as_posix())

    def __str__(self) -> str:
        return self.value


@dataclass
class EventSchema:
    """One loaded schema file. `data` is the parsed JSON, untouched."""

    path: Path
    id: SchemaId
    data: dict[str, Any]
    text: str = field(repr=False, default="")

    @property
    def self_block(self) -> dict[str, Any]:
        block = self.data.get("self")
        return block if isinstance(block, dict) else {}

    @property
    def name(self) -> str:
        """The event name: `self.name`, else the event folder."""
        name = self.self_block.get("name")
        return name if isinstance(name, str) and name else self.id.event_name

    @property
    def vendor(self) -> str | None:
        vendor = self.self_block.get("vendor")
        return vendor if isinstance(vendor, str) else None  # a wrong type is lint's finding, not a crash

    @property
    def version(self) -> str:
        version = self.self_block.get("version")
        return version if isinstance(version, str) else self.id.version_text

    @property
    def metadata(self) -> dict[str, Any]:
        """`self.metadata` (what init writes) or top-level `metadata` (Reflekt 0.3's other form)."""
        for candidate in (self.self_block.get("metadata"), self.data.get("metadata")):
            if isinstance(candidate, dict):
                return candidate
        return {}

    @property
    def description(self) -> str | None:
        description = self.data.get("description")
        return description if isinstance(description, str) else None

    @property
    def properties(self) -> dict[str, Any]:
        props = self.data.get("properties")
        return props if isinstance(props, dict) else {}

    @property
    def required(self) -> list[str]:
        req = self.data.get("required")
        return [r for r in req if isinstance(r, str)] if isinstance(req, list) else []

    @property
    def lint_enabled(self) -> bool:
        return self.self_block.get("lint", True) is not False


def parse_schema_text(text: str, path: Path) -> dict[str, Any]:
    """Parse JSON with a `file:line:col` error; the top level must be an object."""
    if text.startswith("\ufeff"):
        raise SchemaError(
            "schema starts with a byte-order mark (BOM)",
            hint="save the file as UTF-8 without BOM (JSON forbids it)",
            path=path,
            line=1,
            col=1,
        )
    try:
        data = json.loads(text)
    except RecursionError:
        raise SchemaError(
            "schema is nested too deeply to read",
            hint="flatten it: no event needs hundreds of nested levels",
            path=path,
        ) from None
    except ValueError as exc:  # JSONDecodeError, or Python's limit on integers of over 4300 digits
        if not isinstance(exc, json.JSONDecodeError):
            raise SchemaError(f"invalid JSON: {exc}", hint="shorten the number", path=path) from None
        raise SchemaError(
            f"invalid JSON: {exc.msg}",
            hint="JSON allows no comments or trailing commas; check quoting near this position",
            path=path,
            line=exc.lineno,
            col=exc.colno,
        ) from None
    if not isinstance(data, dict):
        raise SchemaError(
            f"a schema must be a JSON object, not {type(data).__name__}", path=path, line=1, col=1
        )
    if "\\ud" in text or "\\uD" in text:  # rare: only files with surrogate escapes pay for the check
        _reject_lone_surrogates(data, text, path)
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD]([89a-fA-F])[0-9a-fA-F]{2}")


def _first_lone_surrogate(text: str) -> int | None:
    """Offset of the first surrogate escape that is not half of a high+low pair."""
    pending_high: int | None = None
    for match in _SURROGATE_ESCAPE.finditer(text):
        is_high = match.group(1).lower() in "89ab"
        if pending_high is not None:
            if not is_high and match.start() == pending_high + 6:
                pending_high = None
                continue
            return pending_high
        if not is_high:
            return match.start()
        pending_high = match.start()
    return pending_high


def _reject_lone_surrogates(data: dict[str, Any], text: str, path: Path) -> None:
    """json.loads accepts "\\ud800" alone, but no UTF-8 output (terminal, report, file) can hold it."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        offset = _first_lone_surrogate(text)
        line = col = None
        if offset is not None:
            line = text.count("\n", 0, offset) + 1
            col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise SchemaError(
            "invalid JSON string: a lone UTF-16 surrogate escape (\\ud800-\\udfff) is not a character",
            hint="write the character itself, or a complete surrogate pair",
            path=path,
            line=line,
            col=col,
        ) from None


def decode_schema_bytes(raw: bytes, path: Path) -> str:
    """UTF-8 text, or a SchemaError at the line:col of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        from reflekt.yamlfile import byte_position

        line, col = byte_position(raw, exc.start)
        raise SchemaError(
            f"schema is not UTF-8 text (byte 0x{raw[exc.start]:02x}: {exc.reason})",
            hint="save the file as UTF-8",
            path=path,
            line=line,
            col=col,
        ) from None


def load_schema(path: Path, schemas_dir: Path) -> EventSchema:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SchemaError("schema file not found", path=path) from None
    except OSError as exc:
        raise SchemaError(f"cannot read schema: {exc.strerror or exc}", path=path) from None
    text = decode_schema_bytes(raw, path)
    return EventSchema(path, SchemaId.from_path(path, schemas_dir), parse_schema_text(text, path), text)
