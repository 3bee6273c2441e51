"""docs/lint.md is generated from the rule docstrings and must be up to date."""

from __future__ import annotations

from pathlib import Path

from reflekt.lint.reference import render_reference
from reflekt.lint.registry import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "lint.md"


def test_docs_lint_md_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_reference(), (
        "docs/lint.md is stale: run `python -m reflekt.lint.reference > docs/lint.md`"
    )


def test_every_rule_is_in_the_reference() -> None:
    text = render_reference()
    for code in RULES:
        assert f"### {code} " in text
