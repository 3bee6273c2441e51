"""The documented casing table holds: every 'accepts' example matches, every 'rejects' one does not."""

from __future__ import annotations

import re

import pytest

from reflekt.lint import casing
from reflekt.lint.casing import matches_casing, to_snake


def table_rows() -> list[tuple[str, list[str], list[str]]]:
    rows = []
    for line in (casing.__doc__ or "").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in casing.PATTERNS:
            rows.append((cells[0], re.findall(r"`([^`]*)`", cells[2]), re.findall(r"`([^`]*)`", cells[3])))
    return rows


@pytest.mark.parametrize("name, accepts, rejects", table_rows(), ids=[r[0] for r in table_rows()])
def test_documented_examples(name: str, accepts: list[str], rejects: list[str]) -> None:
    assert accepts and rejects
    for example in accepts:
        assert matches_casing(example, name), f"{name} should accept {example!r}"
    for example in rejects:
        assert not matches_casing(example, name), f"{name} should reject {example!r}"


@pytest.mark.parametrize(
    "name, casing_name, allowed",
    [("iOS Version Viewed", "title", {"iOS"}), ("ios_iOS", "snake", {"iOS"}), ("iOSVersion", "camel", {"iOS"}),
     ("appIOS", "camel", set()), ("eBayOrder", "pascal", {"eBay"})],
)
def test_allowed_words(name: str, casing_name: str, allowed: set[str]) -> None:
    assert matches_casing(name, casing_name, frozenset(allowed))


@pytest.mark.parametrize(
    "name, column",
    [("cartId", "cart_id"), ("cartID", "cart_id"), ("Page URL", "page_url"), ("URLPath", "url_path"),
     ("item2", "item2"), ("cart_id", "cart_id"), ("Cart-ID ", "cart_id"), ("_PARTITIONTIME", "_partitiontime"),
     ("iOS Version", "i_os_version")],
)
def test_to_snake(name: str, column: str) -> None:
    assert to_snake(name) == column


@pytest.mark.parametrize(
    "pointer, text",
    [("", "the event"), ("/properties/cart", "cart"), ("/properties/cart/properties/lines/items", "cart.lines[]"),
     ("/properties/a/anyOf/1/properties/b", "a.b"), ("/properties/a~1b/items/0/properties/c", "a/b[].c"),
     ("/properties/items", "items")],
)
def test_label(pointer: str, text: str) -> None:
    from reflekt.lint.rule import label

    assert label(pointer) == text


@pytest.mark.parametrize(
    "name, accepted_by",
    [("cartID", {"camel"}), ("URL", {"pascal", "title"}), ("iOS Version", set()), ("item2", {"snake", "camel"})],
)
def test_the_names_people_ask_about(name: str, accepted_by: set[str]) -> None:
    assert {c for c in casing.PATTERNS if matches_casing(name, c)} == accepted_by
    assert matches_casing("iOS Version", "title", frozenset({"iOS"}))
