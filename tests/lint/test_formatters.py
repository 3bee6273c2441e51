"""Formatter details: GitHub annotation escaping, JSON summary, text grouping and summary lines."""

from __future__ import annotations

import json

from reflekt.lint.formatters import format_github, format_json, format_text, summary_line
from reflekt.lint.rule import Finding, Severity
from reflekt.lint.runner import LintResult


def finding(schema_id: str, line: int, severity: Severity = Severity.ERROR, message: str = "bad") -> Finding:
    return Finding("NM02", "property-name-casing", severity, message, schema_id, f"/abs/schemas/{schema_id}",
                   "/properties/x", line, 3)


def test_github_escapes_properties_and_message() -> None:
    result = LintResult([finding("a, b/E: x/1-0.json", 4, message="50% off\nnext line")])
    line = format_github(result).strip()
    assert "file=/abs/schemas/a%2C b/E%3A x/1-0.json,line=4,col=3," in line
    assert line.endswith("::50%25 off%0Anext line")
    assert format_github(LintResult([])) == ""


def test_info_is_a_github_notice() -> None:
    assert format_github(LintResult([finding("a/E/1-0.json", 1, Severity.INFO)])).startswith("::notice ")


def test_text_groups_by_file_and_summarises() -> None:
    result = LintResult([finding("a/E/1-0.json", 1), finding("a/E/1-0.json", 5, Severity.WARNING),
                         finding("b/F/1-0.json", 2, Severity.INFO)], files=3, ignored=2, skipped=1)
    text = format_text(result)
    blocks = text.strip().split("\n\n")
    assert len(blocks) == 3  # two files, then the summary
    assert blocks[0].count("\n") == 1 and "a/E/1-0.json:5:3: warning NM02 bad [property-name-casing]" in blocks[0]
    assert blocks[2].startswith("Found 1 error, 1 warning, 1 info in 2 of 3 schemas (NM02 3) in ")
    assert blocks[2].endswith("(1 skipped (self.lint: false), 2 rule checks ignored).")


def test_success_summary() -> None:
    assert summary_line(LintResult([], files=1)).startswith("All checks passed: 1 schema linted in ")


def test_json_summary_counts() -> None:
    payload = json.loads(format_json(LintResult([finding("a/E/1-0.json", 1), finding("a/E/1-0.json", 2)], files=1)))
    assert payload["summary"]["by_rule"] == {"NM02": 2} and payload["summary"]["errors"] == 2
    assert payload["findings"][0]["schema_id"] == "a/E/1-0.json"
