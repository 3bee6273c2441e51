"""Atomic file writes: a failed or interrupted write never leaves a half-written file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_text(path: Path, text: str, *, mode: int | None = None) -> None:
    """Write to a temp file in the same folder, fsync, then rename over the target.

    The file gets `mode`, else the mode of the file it replaces, else the umask default
    (mkstemp alone would leave every generated file owner-only).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = _default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_replace_dir(staging: Path, target: Path) -> None:
    """Swap a fully built folder into place; the old one survives until the new one is complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    backup = target.with_name(f".{target.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    try:
        os.replace(staging, target)
    except BaseException:
        if backup.exists() and not target.exists():
            os.replace(backup, target)
        raise
    if backup.exists():
        shutil.rmtree(backup, ignore_errors=True)


def expand_home(path: str | Path, *, what: str, config: bool = False) -> Path:
    """Path.expanduser, but `~nosuchuser/x` is a clear error instead of a RuntimeError.

    `config=True` raises a ConfigError (a value in a config file), else a UsageError (an option).
    """
    from reflekt.errors import ConfigError, UsageError

    try:
        return Path(path).expanduser()
    except RuntimeError:
        head = str(path).split("/", 1)[0]
        error = ConfigError if config else UsageError
        raise error(
            f"{what} {str(path)!r}: cannot expand {head!r} (no such user)",
            hint="write the full path, or ~/ for your own home folder",
        ) from None
