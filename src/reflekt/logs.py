"""One log file per run under <project>/.logs (the last 20 kept), with secrets masked."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

KEEP_LOGS = 20
logger = logging.getLogger("reflekt")
logger.addHandler(logging.NullHandler())  # users see console output; the log file gets the details
logger.propagate = False

_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Every credential loaded from a profile is registered so no log line can carry it."""
    if value and len(value) >= 4:
        _secrets.add(value)


def mask(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "****")
    return re.sub(r"(?i)(password|secret|token|api_key|apikey)=\S+", r"\1=****", text)


class _MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


_log_path: dict[str, Path | None] = {"path": None}


def start_run_log(logs_dir: Path, command: str) -> Path | None:
    """Attach a file handler; failures to log never fail the command."""
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = logs_dir / f"reflekt-{stamp}-{command}.log"
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(_MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        _prune(logs_dir)
        _log_path["path"] = path
        return path
    except OSError:
        return None


def current_log_path() -> Path | None:
    return _log_path["path"]


def stop_run_log() -> None:
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler):
            handler.close()
            logger.removeHandler(handler)
    _log_path["path"] = None


def _prune(logs_dir: Path) -> None:
    logs = sorted(logs_dir.glob("reflekt-*.log"))
    for old in logs[:-KEEP_LOGS]:
        old.unlink(missing_ok=True)
