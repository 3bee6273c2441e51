"""Every rule is documented (its docstring is `reflekt lint --explain`), with unique codes and names."""

from __future__ import annotations

import inspect
import re

import pytest

from reflekt.lint.registry import RULES, code_for, rule_class
from reflekt.lint.rule import DOC_SECTIONS, Rule


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_docstring_has_every_section(code: str) -> None:
    cls = rule_class(code)
    doc = inspect.cleandoc(cls.__doc__ or "")
    missing = [s for s in DOC_SECTIONS if not re.search(rf"^{re.escape(s)}:?\s*$", doc, re.MULTILINE)]
    assert not missing, f"{code} {cls.name} docstring lacks sections: {missing}"
    assert doc.splitlines()[0].strip().endswith("."), f"{code}: first line is a one-sentence description"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_identity(code: str) -> None:
    cls = rule_class(code)
    assert issubclass(cls, Rule)
    assert cls.code == code
    assert re.fullmatch(r"[A-Z]{2}[0-9]{2}", code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", cls.name)
    assert code_for(cls.name) == code and code_for(code.lower()) == code


def test_names_are_unique() -> None:
    names = [rule_class(code).name for code in RULES]
    assert len(names) == len(set(names))


def test_options_are_documented() -> None:
    for code in RULES:
        cls = rule_class(code)
        doc = inspect.cleandoc(cls.__doc__ or "")
        for option in cls.options:
            assert option in doc.split("Options:")[1], f"{code} option {option} is not documented"
