from pathlib import Path

import pytest

from reflekt.errors import SchemaError
from reflekt.schema import EventSchema, SchemaId
from reflekt.validate.catalog import Catalog, Target, Unknown
from tests.helpers import event_schema


def schema(schema_id: str, **extra) -> EventSchema:
    data = event_schema(schema_id, **extra)
    return EventSchema(Path("/nowhere") / schema_id, SchemaId(schema_id), data)


CATALOG_IDS = ["shop/Order Completed/1-0.json", "shop/Order Completed/1-1.json", "shop/Order Completed/2-0.json",
               "shop/Order Completed/10-0.json", "shop/Cart Viewed/1-0.json"]


@pytest.fixture
def catalog() -> Catalog:
    return Catalog([schema(i) for i in CATALOG_IDS])


def version_of(found) -> str:
    assert isinstance(found, Target), getattr(found, "reason", found)
    return found.version


def test_latest_version_by_default_compares_numerically(catalog: Catalog) -> None:
    assert version_of(catalog.lookup(("Order Completed",), None, None)) == "10-0"


def test_explicit_versions(catalog: Catalog) -> None:
    assert version_of(catalog.lookup(("Order Completed",), "1-1", None)) == "1-1"
    assert version_of(catalog.lookup(("Order Completed",), "1", None)) == "1-1"  # a major: its latest minor
    assert version_of(catalog.lookup(("Order Completed",), "2-0-0", None)) == "2-0"  # iglu SchemaVer


def test_missing_version_and_name_are_unknown_with_a_reason(catalog: Catalog) -> None:
    missing = catalog.lookup(("Order Completed",), "3-0", None)
    assert isinstance(missing, Unknown)
    assert missing.reason == "version 3-0 of 'Order Completed' is not in the selection (have 1-0, 1-1, 2-0, 10-0)"
    nameless = catalog.lookup(("Order Complete",), None, None)
    assert isinstance(nameless, Unknown) and nameless.reason == "no schema named 'Order Complete' in the selection"
    garbage = catalog.lookup(("Order Completed",), "v2", None)
    assert isinstance(garbage, Unknown) and "is not a version" in garbage.reason


def test_names_are_tried_in_order(catalog: Catalog) -> None:
    assert isinstance(catalog.lookup(("Home", "Cart Viewed"), None, None), Target)


def test_each_schema_compiles_once(catalog: Catalog) -> None:
    first = catalog.lookup(("Order Completed",), None, None)
    assert catalog.lookup(("Order Completed",), "10", None) is first
    assert len(catalog.targets) == 1


def test_vendor_narrows_when_a_schema_has_it() -> None:
    acme = schema("acme/Link Clicked/1-0.json")
    acme.data["self"]["vendor"] = "com.acme"
    other = schema("other/Link Clicked/1-0.json")
    catalog = Catalog([acme, other])
    assert catalog.lookup(("Link Clicked",), "1-0-0", "com.acme").schema is acme
    assert catalog.lookup(("Link Clicked",), "1-0-0", "com.example").schema is other
    assert catalog.warnings == []


def test_duplicate_name_and_version_warns_and_takes_the_first_id() -> None:
    catalog = Catalog([schema("b/Link Clicked/1-0.json"), schema("a/Link Clicked/1-0.json")])
    found = catalog.lookup(("Link Clicked",), None, None)
    assert found.schema.id.value == "a/Link Clicked/1-0.json"
    assert catalog.warnings and "a/Link Clicked/1-0.json, b/Link Clicked/1-0.json" in catalog.warnings[0]


def test_uncompilable_schema_is_a_schema_error_naming_the_file() -> None:
    broken = schema("shop/Broken/1-0.json", properties={"a": {"type": 5}})
    with pytest.raises(SchemaError) as info:
        Catalog([broken]).lookup(("Broken",), None, None)
    assert "shop/Broken/1-0.json" in str(info.value) and "cannot compile schema" in str(info.value)
