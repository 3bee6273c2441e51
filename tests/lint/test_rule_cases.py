"""Every rule's pass/fail cases from tests/lint/cases/<CODE>.yml (`pytest -k NM01` runs one rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflekt.lint.registry import RULES
from reflekt.lint.runner import run_lint
from reflekt.project import load_project
from tests.lint.cases import CASES_DIR, build_project, load_cases

CASES = load_cases()


@pytest.mark.parametrize("test_id, code, document, case", CASES, ids=[c[0] for c in CASES])
def test_rule_case(tmp_path: Path, test_id: str, code: str, document: dict, case: dict) -> None:
    root = build_project(tmp_path / "project", document, case)
    result = run_lint(load_project(root), case.get("select"), None, parallel=False)
    found = [f for f in result.findings if f.code == code]
    expected = case.get("expect") or []
    described = "\n".join(f"{f.schema_id}:{f.line}:{f.col} {f.pointer} {f.message}" for f in found)
    assert len(found) == len(expected), f"expected {len(expected)} {code} findings, got:\n{described}"
    for finding, want in zip(sorted(found, key=lambda f: (f.schema_id, f.line or 0, f.col or 0, f.message)), expected):
        assert finding.schema_id == want.get("file", "shop/Cart Viewed/1-0.json"), described
        if "pointer" in want:
            assert finding.pointer == want["pointer"], described
        if "line" in want:
            assert (finding.line, finding.col) == (want["line"], want.get("col", finding.col)), described
        if "message" in want:
            assert want["message"] in finding.message, described
        if "severity" in want:
            assert finding.severity.value == want["severity"]


def test_every_rule_has_pass_and_fail_cases() -> None:
    by_rule: dict[str, set[str]] = {}
    for _, code, _, case in CASES:
        by_rule.setdefault(code, set()).add(case["id"].split("-", 1)[0])
    missing = [code for code in RULES if by_rule.get(code) != {"pass", "fail"}]
    assert not missing, f"rules without both pass and fail cases in {CASES_DIR}: {missing}"
