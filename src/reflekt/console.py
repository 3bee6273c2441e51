"""The one place that prints. Rich on a TTY, plain text otherwise (CI logs, pipes)."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

_state: dict[str, Any] = {"color": None}


def set_color(enabled: bool | None) -> None:
    """None = decide from the stream (TTY and no NO_COLOR)."""
    _state["color"] = enabled


def use_color(stream: TextIO | None = None) -> bool:
    if _state["color"] is not None:
        return bool(_state["color"])
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def is_interactive() -> bool:
    return sys.stdout.isatty() and sys.stdin.isatty() and not os.environ.get("CI")


_STYLES = {"error": "31", "warning": "33", "success": "32", "hint": "2", "bold": "1", "info": "36"}


def styled(text: str, style: str, stream: TextIO | None = None) -> str:
    if not use_color(stream) or style not in _STYLES:
        return text
    return f"\033[{_STYLES[style]}m{text}\033[0m"


def out(text: str = "", *, style: str | None = None) -> None:
    """Normal output (results) to stdout."""
    sys.stdout.write((styled(text, style) if style else text) + "\n")


def err(text: str = "", *, style: str | None = None) -> None:
    """Diagnostics to stderr, so stdout stays machine-readable (json, sarif)."""
    sys.stderr.write((styled(text, style, sys.stderr) if style else text) + "\n")


def error(message: str, hint: str | None = None) -> None:
    err(f"{styled('error:', 'error', sys.stderr)} {message}")
    if hint:
        err(f"  {styled('hint:', 'hint', sys.stderr)} {hint}")


def warning(message: str) -> None:
    err(f"{styled('warning:', 'warning', sys.stderr)} {message}")


def success(message: str) -> None:
    out(styled(message, "success"))


def table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain aligned table; readable in CI logs and on a TTY alike."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()
    out(styled(line, "bold"))
    for row in rows:
        out("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
