"""Render lint results: text (people), json (scripts), github (Actions annotations), sarif (code scanning).

Formatters return the whole output as a string; the CLI decides where it goes (stdout or --output).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from reflekt import __version__, console
from reflekt.errors import display_path
from reflekt.lint.rule import Finding, Severity
from reflekt.lint.runner import LintResult, rule_summaries

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _location(finding: Finding) -> str:
    return _display_path(str(finding.path), os.getcwd())


@lru_cache(maxsize=4096)
def _display_path(path: str, cwd: str) -> str:
    """display_path resolves symlinks (two syscalls per path part): once per file, not per finding.
    A 50 MB schema with 600,000 findings spent 3/4 of its lint run here."""
    return display_path(path)


def format_text(result: LintResult, color: bool = False) -> str:
    lines: list[str] = []
    current = None
    for finding in result.findings:
        location = _location(finding)
        if location != current:
            if current is not None:
                lines.append("")
            current = location
        severity = finding.severity.value
        label = console.styled(f"{severity}", {"error": "error", "warning": "warning", "info": "info"}[severity]) \
            if color else severity
        lines.append(f"{location}:{finding.line}:{finding.col}: {label} {finding.code} {finding.message} "
                     f"[{finding.name}]")
    if lines:
        lines.append("")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def summary_line(result: LintResult) -> str:
    extras = []
    if result.skipped:
        extras.append(f"{result.skipped} skipped (self.lint: false)")
    if result.ignored:
        extras.append(f"{result.ignored} rule checks ignored")
    tail = f" ({', '.join(extras)})" if extras else ""
    schemas = f"{result.files} schema{'s' if result.files != 1 else ''}"
    if not result.findings:
        return f"All checks passed: {schemas} linted in {result.elapsed:.2f}s{tail}."
    counts = [f"{result.count(s)} {s.value}{'s' if result.count(s) != 1 and s is not Severity.INFO else ''}"
              for s in Severity if result.count(s)]
    files = len({f.schema_id for f in result.findings})
    by_rule = Counter(f.code for f in result.findings)
    rules = ", ".join(f"{code} {n}" for code, n in sorted(by_rule.items()))
    return (f"Found {', '.join(counts)} in {files} of {schemas} ({rules}) in "
            f"{result.elapsed:.2f}s{tail}.")


def format_json(result: LintResult) -> str:
    payload = {
        "version": 1,
        "findings": [f.to_dict() | {"file": _location(f)} for f in result.findings],
        "summary": {
            "files": result.files,
            "skipped": result.skipped,
            "ignored": result.ignored,
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "infos": result.count(Severity.INFO),
            "by_rule": dict(sorted(Counter(f.code for f in result.findings).items())),
            "elapsed_seconds": round(result.elapsed, 3),
        },
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(result: LintResult) -> str:
    lines = []
    for f in result.findings:
        file = _github_escape(_location(f), property_value=True)
        title = _github_escape(f"{f.code} {f.name}", property_value=True)
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} file={file},line={f.line},col={f.col},title={title}::"
                     f"{_github_escape(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_sarif(result: LintResult) -> str:
    summaries = rule_summaries()
    index = {s["code"]: i for i, s in enumerate(summaries)}
    rules = [
        {
            "id": s["code"],
            "name": s["name"],
            "shortDescription": {"text": s["summary"]},
            "help": {"text": f"reflekt lint --explain {s['code']}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[Severity(s["severity"])]},
        }
        for s in summaries
    ]
    results = []
    for f in result.findings:
        results.append({
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(Path(_location(f)).as_posix())},
                    "region": {"startLine": f.line or 1, "startColumn": f.col or 1},
                }
            }],
        })
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "reflekt", "version": __version__,
                                "informationUri": "https://github.com/GClunies/Reflekt", "rules": rules}},
            "columnKind": "unicodeCodePoints",  # columns count characters, as editors do
            "results": results,
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[LintResult], str]] = {
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}


def looks_like_lint_report(text: str) -> bool:
    """True for an empty file or a report any --format wrote: `lint --output` may replace only these."""
    stripped = text.strip()
    if not stripped:
        return True
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            return False
        if not isinstance(data, dict):
            return False
        if {"version", "findings", "summary"} <= data.keys():
            return True
        runs = data.get("runs")
        run = runs[0] if isinstance(runs, list) and runs else None
        tool = run.get("tool") if isinstance(run, dict) else None
        driver = tool.get("driver") if isinstance(tool, dict) else None
        return isinstance(driver, dict) and driver.get("name") == "reflekt"
    lines = stripped.splitlines()
    if all(line.startswith("::") for line in lines):
        return True  # github annotations
    return lines[-1].startswith(("All checks passed:", "Found "))
