"""lint.ignore patterns: a file, a folder, folder globs."""

from __future__ import annotations

import pytest

from reflekt.lint.runner import _glob_match

ID = "segment/legacy/Old Event/1-0.json"


@pytest.mark.parametrize(
    "pattern, matches",
    [(ID, True), ("segment/legacy/Old Event/1-0", True), ("segment/legacy", True), ("segment/legacy/", True),
     ("segment/legacy/**", True), ("segment/*", True), ("*/legacy", True), ("segment/leg", False),
     ("segment/legacy/Old Event/1-1.json", False), ("web/**", False), ("**/1-0.json", True)],
)
def test_glob_match(pattern: str, matches: bool) -> None:
    assert _glob_match(ID, pattern) is matches
