"""Render validation results: `text` for people and CI logs, `json` for machines."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from reflekt import console
from reflekt.validate.results import Results

TOP_VIOLATIONS = 20


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(results: Results) -> str:
    parts = [f"{results.valid:,} valid", f"{results.invalid:,} invalid", f"{results.unknown_count:,} unknown"]
    if results.bad_line_count:
        parts.append(_plural(results.bad_line_count, "bad line"))
    return ", ".join(parts)


def render_text(results: Results) -> None:
    for warning in results.warnings:
        console.warning(warning)
    if results.total == 0:
        console.warning(f"no payloads in {results.source}: nothing was validated")
    rate = results.total / results.seconds if results.seconds > 0 else 0.0
    console.out(
        f"Checked {_plural(results.total, 'payload')} from {results.source} in {results.seconds:.2f}s"
        + (f" ({rate:,.0f}/s, {results.backend})" if results.backend else "")
    )
    rows = [
        [t.name, t.version, f"{t.valid:,}", f"{t.invalid:,}", t.schema.id.value]
        for t in sorted(results.targets, key=lambda t: (t.name, t.version))
        if t.valid or t.invalid
    ]
    if rows:
        console.out()
        console.table(["EVENT", "VERSION", "VALID", "INVALID", "SCHEMA"], rows)
    if results.unknown:
        console.out()
        console.table(
            ["UNKNOWN EVENT", "COUNT", "REASON", "EXAMPLES"],
            [
                [u.event, f"{u.count:,}", u.reason, ", ".join(e.label() for e in u.examples)]
                for u in sorted(results.unknown.values(), key=lambda u: (-u.count, u.event))
            ],
        )
    violations = results.top_violations()
    if violations:
        console.out()
        shown = violations[:TOP_VIOLATIONS]
        title = "Top violations" + (f" ({len(shown)} of {len(violations)})" if len(violations) > len(shown) else "")
        console.out(title, style="bold")
        for v in shown:
            console.out(
                f"  {v.event} {v.version}: {v.property or '(payload)'}: {v.keyword}: {v.count:,}x"
                f" - {v.message}"
            )
            console.out(f"    e.g. {', '.join(e.label() for e in v.examples)}", style="hint")
    if results.bad_line_count:
        console.out()
        console.out(f"Bad lines: {results.bad_line_count:,}", style="bold")
        for bad in results.bad_lines:
            console.out(f"  {results.source}:{bad.line}: {bad.reason}")
        if results.bad_line_count > len(results.bad_lines):
            console.out(f"  ... and {results.bad_line_count - len(results.bad_lines):,} more", style="hint")
    console.out()
    style = "error" if results.invalid or results.bad_line_count else "success"
    console.out(summary_line(results), style=style)


def as_dict(results: Results) -> dict[str, Any]:
    return {
        "source": results.source,
        "backend": results.backend,
        "seconds": round(results.seconds, 3),
        "summary": {
            "total": results.total,
            "valid": results.valid,
            "invalid": results.invalid,
            "unknown": results.unknown_count,
            "bad_lines": results.bad_line_count,
        },
        "events": [
            {"event": t.name, "version": t.version, "schema_id": t.schema.id.value, "valid": t.valid, "invalid": t.invalid}
            for t in sorted(results.targets, key=lambda t: (t.name, t.version))
            if t.valid or t.invalid
        ],
        "unknown": [
            {"event": u.event, "reason": u.reason, "count": u.count, "examples": [e.as_dict() for e in u.examples]}
            for u in sorted(results.unknown.values(), key=lambda u: (-u.count, u.event))
        ],
        "violations": [
            {
                "event": v.event,
                "version": v.version,
                "schema_id": v.schema_id,
                "property": v.property,
                "keyword": v.keyword,
                "count": v.count,
                "message": v.message,
                "examples": [e.as_dict() for e in v.examples],
            }
            for v in results.top_violations()
        ],
        "bad_lines": [{"line": b.line, "reason": b.reason} for b in results.bad_lines],
        "warnings": results.warnings,
    }


def render_json(results: Results) -> None:
    console.out(json.dumps(as_dict(results), indent=2, ensure_ascii=False))


FORMATTERS: dict[str, Callable[[Results], None]] = {"text": render_text, "json": render_json}
