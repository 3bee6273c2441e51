"""Names SDK loaders give tables and columns, and safe output column names."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

MAX_IDENTIFIER = 63  # PostgreSQL's limit, the smallest of the supported warehouses

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z\u00C0-\uFFFF]+")
_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")


@lru_cache(maxsize=65536)  # the same property names recur across events and versions
def snake_case(text: str) -> str:
    """CamelCase / 'Title Case' / kebab-case -> snake_case, as Segment names tables and columns."""
    text = _ACRONYM.sub(r"\1_\2", text)
    text = _LOWER_UPPER.sub(r"\1_\2", text)
    words = [w for w in _WORD_SPLIT.split(text) if w]
    return "_".join(words).lower()


@lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """Only letters and digits, lower-case: a second, looser key for matching columns."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


@lru_cache(maxsize=65536)
def safe_name(text: str, fallback: str = "column") -> str:
    """A lower-case ASCII snake_case identifier that needs no quoting (except keywords)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"_+", "_", re.sub(r"[^0-9a-z_]", "_", snake_case(ascii_text))).strip("_")
    if not name:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        name = f"{fallback}_{digest}"
    if name[0].isdigit():
        name = "_" + name
    return truncate(name)


def truncate(name: str, limit: int = MAX_IDENTIFIER) -> str:
    """Shorten a long name deterministically, keeping it unique with a hash suffix."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return name[: limit - 9].rstrip("_") + "_" + digest


def version_suffix(version: str) -> str:
    """'2-0' -> 'v2_0' (model names cannot hold dashes)."""
    return "v" + re.sub(r"[^0-9a-z]+", "_", version.lower()).strip("_")
