"""Render generated models the way dbt's Jinja would, without dbt: for direct execution and parsing."""

from __future__ import annotations

from collections.abc import Callable

import jinja2


def compile_sql(text: str, source: Callable[[str, str], str], ref: Callable[[str], str] = lambda m: m,
                **context: object) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    context.setdefault("is_incremental", lambda: False)
    return env.from_string(text).render(source=source, ref=ref, **context)
