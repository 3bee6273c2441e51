"""Entry points the CLI calls: load the selection, validate a file or a warehouse sample."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, BinaryIO

from reflekt.errors import UsageError
from reflekt.schema import load_schema
from reflekt.selection import select
from reflekt.validate.catalog import Catalog
from reflekt.validate.engine import DEFAULT_MAX_LINE_BYTES, EventValidator
from reflekt.validate.results import Results


def load_catalog(schemas_dir: Path, selects: list[str] | None, excludes: list[str] | None) -> Catalog:
    ids = select(schemas_dir, selects, excludes)
    return Catalog([load_schema(schemas_dir / schema_id, schemas_dir) for schema_id in ids])


def validate_events_file(
    catalog: Catalog, events: str, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
) -> Results:
    """Validate a JSONL file (gzipped when it ends in .gz), or stdin for '-'; streamed, never loaded whole."""
    validator = EventValidator(catalog, Results(source="<stdin>" if events == "-" else events))
    if events == "-":
        if sys.stdin.isatty():
            from reflekt import console

            console.err("reading JSON Lines from stdin; end with Ctrl-D")
        return validator.run_jsonl(sys.stdin.buffer, max_line_bytes)
    with _open_events(events) as stream:
        try:
            return validator.run_jsonl(stream, max_line_bytes)
        except (OSError, EOFError) as exc:  # a truncated or corrupt .gz surfaces while reading
            raise UsageError(f"cannot read --events {events}: {exc}") from None


def _open_events(events: str) -> BinaryIO:
    """The file as a binary stream (gzipped when it ends in .gz), or a UsageError naming it as given."""
    path = Path(events)
    try:
        if path.suffix == ".gz":  # exports are often gzipped: decompress while streaming
            import gzip

            return gzip.open(path, "rb")  # type: ignore[return-value]
        return path.open("rb", buffering=1 << 20)
    except FileNotFoundError:
        raise UsageError(f"--events file not found: {events}", hint="pass a JSON Lines file, or - for stdin") from None
    except IsADirectoryError:
        raise UsageError(f"--events {events} is a folder", hint="pass a JSON Lines file, or - for stdin") from None
    except OSError as exc:
        raise UsageError(f"cannot read --events {events}: {exc.strerror}") from None
    except ValueError:  # e.g. an embedded NUL byte: no file system accepts such a path
        raise UsageError(f"--events {events!r} is not a valid file path", hint="pass a JSON Lines file, or - for stdin") from None


def validate_warehouse(
    catalog: Catalog, profile: Any, source: str, *, sdk: str, limit: int, since: str | None
) -> Results:
    """Sample raw event rows from `<source_id>.<database>.<schema>` and validate them the same way."""
    from reflekt.validate.sampling import sample_events

    validator = EventValidator(catalog, Results(source=source))
    return validator.run_objects(sample_events(catalog, profile, source, sdk=sdk, limit=limit, since=since))
