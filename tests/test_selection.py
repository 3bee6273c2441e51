from pathlib import Path

import pytest

from reflekt.errors import UsageError
from reflekt.selection import select
from tests.helpers import write_schema

IDS = [
    "segment/ecommerce/Cart Viewed/1-0.json",
    "segment/ecommerce/Cart Viewed/2-0.json",
    "segment/ecommerce/Order Completed/1-0.json",
    "segment/marketing/Link Clicked/1-0.json",
    "avo/main/Signed Up/1-0.json",
]


@pytest.fixture
def schemas(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    for schema_id in IDS:
        write_schema(root, schema_id, "{}")
    write_schema(root, ".reflekt/meta/1-0.json", "{}")
    return root


@pytest.mark.parametrize(
    "selector,expected",
    [
        ("segment/ecommerce", IDS[:3]),
        ("segment", IDS[:4]),
        ("segment/ecommerce/Cart Viewed", IDS[:2]),
        ("segment/ecommerce/Cart Viewed/1-0.json", IDS[:1]),
        ("segment/ecommerce/Cart Viewed/1-0", IDS[:1]),
        ("'segment/ecommerce/Cart Viewed/1-0.json'", IDS[:1]),
        ("schemas/segment/marketing", IDS[3:4]),
        ("./schemas/segment/marketing/", IDS[3:4]),
        ("segment/*/Cart*", IDS[:2]),
        ("*/*/*/1-0.json", [IDS[0], IDS[2], IDS[3], IDS[4]]),
        ("**/2-0", IDS[1:2]),
    ],
)
def test_selector_forms(schemas: Path, selector: str, expected: list[str]) -> None:
    assert select(schemas, [selector]) == sorted(expected)


def test_no_select_means_everything_but_dot_reflekt(schemas: Path) -> None:
    assert select(schemas, None) == sorted(IDS)


def test_repeated_select_and_exclude(schemas: Path) -> None:
    assert select(schemas, ["avo", "segment/marketing"]) == sorted([IDS[3], IDS[4]])
    assert select(schemas, ["segment"], ["segment/ecommerce/Cart Viewed"]) == [IDS[2], IDS[3]]
    assert select(schemas, ["segment"], ["*/1-0.json"]) == [IDS[1]]


def test_selection_matching_nothing_lists_close_matches(schemas: Path) -> None:
    with pytest.raises(UsageError, match="matches no schema") as info:
        select(schemas, ["segment/ecomerce"])
    assert "segment/ecommerce" in info.value.hint


@pytest.mark.parametrize("selector", ["../etc", "segment/../../x", "/etc/passwd", ".reflekt", ".reflekt/meta"])
def test_paths_outside_schemas_are_refused(schemas: Path, selector: str) -> None:
    with pytest.raises(UsageError, match="outside schemas/"):
        select(schemas, [selector])


def test_symlink_escaping_schemas_is_ignored(schemas: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_schema(outside, "Evil/1-0.json", "{}")
    (schemas / "linked").symlink_to(outside)
    assert all(not i.startswith("linked/") for i in select(schemas, None))


def test_exclude_removing_everything_is_an_error(schemas: Path) -> None:
    with pytest.raises(UsageError, match="removed every selected schema"):
        select(schemas, ["avo"], ["avo"])


def test_listing_skips_hidden_non_json_and_links_out_of_schemas(schemas: Path, tmp_path: Path) -> None:
    write_schema(schemas, ".hidden/x.json", "{}")
    (schemas / "notes.txt").write_text("x")
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    (schemas / "avo" / "main" / "link.json").symlink_to(outside)
    (schemas / "avo" / "main" / "inner.json").symlink_to(schemas / IDS[0])
    ids = select(schemas, None)
    assert "avo/main/link.json" not in ids and "avo/main/inner.json" in ids
    assert not any(i.startswith(".hidden") or i.endswith(".txt") for i in ids)
