from reflekt.report.model import build_report, property_rows, type_label


def test_events_are_sorted_and_grouped_with_newest_version_first(schemas) -> None:
    report = build_report("shop", schemas)
    assert [(e.name, e.folder, e.latest) for e in report.events] == [
        ("Cart Viewed", "shop", "1-0"), ("Order Completed", "shop", "2-0"), ("Signed Up", "web", "1-0")
    ]
    order = report.events[1]
    assert [v.version for v in order.versions] == ["2-0", "1-0"]
    assert order.versions[1].change is None
    assert report.version_count == 4


def test_what_changed_comes_from_schema_diff(schemas) -> None:
    change = build_report("shop", schemas).events[1].versions[0].change
    assert change is not None and change.previous == "1-0" and change.bump == "major"
    kinds = {(line.kind, line.breaking) for line in change.lines}
    assert ("required-property-added", True) in kinds
    assert any("currency" in line.message for line in change.lines)


def test_owners_come_from_metadata_keys_naming_an_owner(schemas) -> None:
    report = build_report("shop", schemas)
    order = report.events[1]
    assert order.owners == ["team-checkout", "Ann Lee"]
    assert order.metadata == {"code_owner": "team-checkout", "product_owner": "Ann Lee", "tier": "1"}
    assert report.owners == ["Ann Lee", "team-checkout", "team-growth"]


def test_property_rows_flatten_nested_objects_and_arrays(schemas) -> None:
    rows = property_rows(schemas[1].data)
    assert [(r.name, r.type, r.required, r.depth) for r in rows] == [
        ("order_id", "string", True, 0),
        ("currency", "string", True, 0),
        ("products", "array of object", False, 0),
        ("products[].sku", "string", True, 1),
        ("products[].price", "number or null", False, 1),
        ("shipping", "object", False, 0),
        ("shipping.city", "string (date-time)", False, 1),
    ]
    assert rows[1].enum == ["USD", "EUR"] and rows[1].description == "ISO 4217."


def test_type_labels() -> None:
    assert type_label({}) == "any"
    assert type_label({"enum": ["a"]}) == "enum"
    assert type_label({"anyOf": [{"type": "string"}, {"type": "integer"}]}) == "string or integer"
    assert type_label({"type": "array", "items": {"type": "string"}}) == "array of string"
    assert type_label({"$ref": "#/definitions/x"}) == "see #/definitions/x"


def test_same_name_in_two_folders_gets_distinct_anchors(schemas) -> None:
    from tests.report.conftest import schema

    report = build_report("shop", schemas + [schema("other/Cart Viewed/1-0.json")])
    anchors = [e.anchor for e in report.events if e.name == "Cart Viewed"]
    assert anchors == ["cart-viewed", "cart-viewed-2"]


def test_structured_metadata_is_shown_as_json(schemas) -> None:
    schemas[2].data["self"]["metadata"] = {"owners": ["a", "b"], "slack": {"channel": "#growth"}}
    cart = build_report("shop", schemas).events[0]
    assert cart.metadata == {"owners": "a, b", "slack": '{"channel": "#growth"}'}
    assert cart.owners == ["a", "b"]
