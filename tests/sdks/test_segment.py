"""The Segment layout: table names, flattening, mapping by call type, renames and collisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflekt.errors import UsageError
from reflekt.schema import EventSchema, SchemaId
from reflekt.sdks.base import SDKS, OutputColumn, VersionColumn, VersionFilter, get_sdk
from reflekt.sdks.naming import safe_name, snake_case, truncate, version_suffix
from reflekt.sdks.segment import SegmentLayout, call_and_name, call_type, flatten
from reflekt.warehouses.base import Column
from tests.helpers import event_schema

COMMON = ["id", "anonymous_id", "user_id", "timestamp", "received_at", "context_page_url", "context_ip"]


def schema(name: str, version: str = "1-0", properties: dict | None = None, required: list | None = None,
           folder: str = "segment/shop") -> EventSchema:
    schema_id = f"{folder}/{name}/{version}.json"
    data = event_schema(schema_id, properties if properties is not None else {}, required=required or [])
    return EventSchema(Path(schema_id), SchemaId(schema_id), data)


def tables(**spec: list[str]) -> dict[str, list[Column]]:
    return {t: [Column(t, c, "varchar", i + 1) for i, c in enumerate(cols)] for t, cols in spec.items()}


def plan(schemas: list[EventSchema], raw: dict[str, list[Column]], union: bool = False):
    return SegmentLayout().plan(schemas, raw, source_schema="shop", union_versions=union)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Order Completed", "order_completed"), ("productID", "product_id"), ("HTMLParser", "html_parser"),
     ("cart-viewed v2", "cart_viewed_v2"), ("  Signed  Up!! ", "signed_up"), ("userId", "user_id")],
)
def test_snake_case_like_segment(text: str, expected: str) -> None:
    assert snake_case(text) == expected


def test_safe_names_are_ascii_unquoted_and_bounded() -> None:
    assert safe_name("Prix €") == "prix"
    assert safe_name("Ünïcödé") == "unicode"
    assert safe_name("2fa_enabled") == "_2fa_enabled"
    assert safe_name("€€").startswith("column_")
    long = "x" * 80
    assert len(truncate(long)) == 63 and truncate(long) != truncate("x" * 81)
    assert version_suffix("2-0") == "v2_0"


def test_flatten_objects_and_keep_arrays_whole() -> None:
    props = {
        "address": {"type": "object", "properties": {"zipCode": {"type": "string"}, "geo": {
            "type": "object", "properties": {"lat": {"type": "number"}}}}},
        "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
        "status": {"type": ["string", "null"], "enum": ["a", "b"]},
    }
    leaves = {leaf.column: leaf for leaf in flatten(props, ["status", "address"])}
    assert list(leaves) == ["address_zip_code", "address_geo_lat", "items", "status"]
    assert leaves["status"].enum == ("a", "b") and not leaves["status"].required  # nullable


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Identify", ("identify", None)), ("page", ("page", None)), ("Page - Home", ("page", "Home")),
     ("Screen - Cart  Review ", ("screen", "Cart  Review")), ("Identify - Backend", ("identify", None)),
     ("Page Viewed", ("track", None)), ("Pages - Home", ("track", None)), ("Page-Home", ("track", None))],
)
def test_call_type_and_page_name_as_reflekt_pull_names_rules(name: str, expected: tuple) -> None:
    assert call_and_name(name) == expected
    assert call_type(name) == expected[0]


def test_validate_and_build_share_one_call_type() -> None:
    from reflekt.validate.layouts import segment as validate_layout

    assert validate_layout.call_type is call_type


def test_named_pages_share_the_pages_table_each_with_a_name_filter() -> None:
    raw = tables(pages=COMMON + ["name", "path"])
    result = plan([schema("Page - Home"), schema("Page - home"), schema("Page"), schema("Page - Home", "2-0")], raw)
    by_entity = {m.entity: m for m in result.models}
    hashed = [e for e in by_entity if e.startswith("pages__home_") and "__v" not in e]
    assert len(hashed) == 1  # 'Home' and 'home' clean up alike: the second gets a hash suffix
    assert set(by_entity) == {"pages", "pages__home__v1_0", "pages__home__v2_0", hashed[0]}
    assert by_entity["pages"].row_match is None
    assert by_entity["pages__home__v1_0"].row_match == ("name", "Home")
    assert by_entity["pages__home__v2_0"].row_match == ("name", "Home")
    assert by_entity[hashed[0]].row_match == ("name", "home")
    assert all(m.table == "pages" for m in result.models)
    assert "Only rows whose name is 'Home'." in by_entity["pages__home__v1_0"].description
    assert result.skipped == []


def test_named_pages_alone_keep_the_all_rows_pages_model() -> None:
    result = plan([schema("Page - Home")], tables(pages=COMMON + ["name", "path"]))
    by_entity = {m.entity: m for m in result.models}
    assert set(by_entity) == {"pages", "pages__home"}
    assert by_entity["pages"].schema is None and by_entity["pages"].row_match is None
    assert by_entity["pages__home"].schema.name == "Page - Home"


def test_schemas_map_to_tables_by_call_type_not_substring() -> None:
    raw = tables(identifies=COMMON, groups=COMMON + ["group_id"], pages=COMMON, page_viewed=COMMON,
                 identify_failed=COMMON)
    result = plan([schema("Identify"), schema("Group"), schema("Page"), schema("Page Viewed"),
                   schema("Identify Failed")], raw)
    by_entity = {m.entity: m for m in result.models}
    assert set(by_entity) == {"identifies", "groups", "pages", "page_viewed", "identify_failed"}
    assert by_entity["identifies"].schema.name == "Identify"
    assert by_entity["page_viewed"].schema.name == "Page Viewed"
    call_types = {m.entity: next(c.literal for c in m.columns if c.name == "call_type") for m in result.models}
    assert call_types == {"identifies": "identify", "groups": "group", "pages": "page", "page_viewed": "track",
                          "identify_failed": "track"}
    ids = {m.entity: next(c.name for c in m.columns if c.raw == "id") for m in result.models}
    assert ids == {"identifies": "identify_id", "groups": "group_call_id", "pages": "page_id",
                   "page_viewed": "event_id", "identify_failed": "event_id"}


def test_renames_keep_only_existing_columns_and_warn_both_ways() -> None:
    raw = tables(order_completed=COMMON + ["event_text", "order_id", "extra_col"])
    result = plan([schema("Order Completed", properties={"order_id": {"type": "string"},
                                                          "coupon": {"type": "string"}})], raw)
    (model,) = result.models
    renamed = {c.raw: c.name for c in model.columns if c.raw}
    assert renamed == {"id": "event_id", "anonymous_id": "anonymous_id", "user_id": "user_id", "timestamp": "tstamp",
                       "received_at": "received_at_tstamp", "event_text": "event_name",
                       "context_page_url": "page_url", "context_ip": "ip", "order_id": "order_id"}
    assert [c.name for c in model.columns if c.raw is None] == [
        "call_type", "source_schema", "source_table", "schema_id", "schema_metadata"]
    assert any("property 'coupon' has no column 'coupon'" in w for w in result.warnings)
    assert any("column 'extra_col' is not in any selected schema" in w for w in result.warnings)


def test_collisions_are_resolved_deterministically_and_reported() -> None:
    raw = tables(checkout=COMMON + ["page_url", "event_id", "call_type"])
    props = {"page_url": {"type": "string"}, "event_id": {"type": "string"}, "call_type": {"type": "string"}}
    first = plan([schema("Checkout", properties=props)], raw)
    second = plan([schema("Checkout", properties=props)], dict(reversed(list(raw.items()))))
    (model,) = first.models
    names = [c.name for c in model.columns]
    assert len(names) == len(set(names))
    renamed = {c.raw or f"literal:{c.name}": c.name for c in model.columns}
    assert renamed["page_url"] == "page_url" and renamed["context_page_url"] == "context_page_url"
    assert renamed["event_id"] == "event_id" and renamed["id"] == "id"
    assert renamed["call_type"] == "call_type" and "literal:call_type_2" in renamed
    assert len(first.warnings) == 3 and first.warnings == second.warnings
    assert [c.name for c in first.models[0].columns] == [c.name for c in second.models[0].columns]


def cart_versions(*versions: str) -> list[EventSchema]:
    """Cart Viewed at each version; from 2-0 on it also has `currency`."""
    out = []
    for version in versions:
        props = {"cart_id": {"type": "string", "description": "The cart."}}
        if not version.startswith("1-"):
            props["currency"] = {"type": "string", "description": "ISO currency.", "enum": ["USD"]}
        out.append(schema("Cart Viewed", version, props, required=list(props)))
    return out


def literal_of(model, name: str) -> OutputColumn:
    return next(c for c in model.columns if c.name == name)


def test_without_event_version_the_union_reads_the_table_once_and_tags_the_latest_version() -> None:
    raw = tables(cart_viewed=COMMON + ["cart_id", "currency"])
    schemas = cart_versions("1-0", "2-0")
    assert [m.entity for m in plan(schemas, raw).models] == ["cart_viewed__v1_0", "cart_viewed__v2_0"]
    result = plan(schemas, raw, union=True)
    by_entity = {m.entity: m for m in result.models}
    union = by_entity["cart_viewed"]
    assert union.union_of == ["cart_viewed__v1_0", "cart_viewed__v2_0"]
    assert union.table == "cart_viewed" and union.rows is None and union.schema.version == "2-0"
    # the superset of the versions' columns, each raw column once
    raws = [c.raw for c in union.columns if c.raw]
    assert len(raws) == len(set(raws)) and {"cart_id", "currency"} <= set(raws)
    # a row of one version does not have to hold another's required properties
    assert not any(c.required or c.enum for c in union.columns)
    version = union.columns[-1]
    assert (version.name, version.literal, version.cases) == ("schema_version", "2-0", ())
    assert "cannot be attributed" in version.description
    assert literal_of(union, "schema_id").literal == "segment/shop/Cart Viewed/2-0.json"
    # without the column the version models cannot be told apart: both keep every row
    assert by_entity["cart_viewed__v1_0"].rows is None and by_entity["cart_viewed__v2_0"].rows is None
    assert "no context_protocols_event_version column" in by_entity["cart_viewed__v1_0"].description
    assert not result.warnings  # currency is modelled by 2-0: no "unmentioned column" warning for 1-0


def test_event_version_splits_version_models_by_major_and_minors_share_their_major() -> None:
    raw = {"cart_viewed": [Column("cart_viewed", c, "BIGINT" if c.startswith("context_protocols") else "VARCHAR", i)
                           for i, c in enumerate(COMMON + ["context_protocols_event_version", "cart_id", "currency"])]}
    result = plan(cart_versions("1-0", "1-1", "2-0"), raw, union=True)
    by_entity = {m.entity: m for m in result.models}
    switch = VersionColumn("context_protocols_event_version", is_text=False)
    assert by_entity["cart_viewed__v1_0"].rows == VersionFilter(switch, equals=1)
    assert by_entity["cart_viewed__v1_1"].rows == VersionFilter(switch, equals=1)  # a row states only its major
    # the latest major also keeps rows with no or an unknown major, as the union tags them
    assert by_entity["cart_viewed__v2_0"].rows == VersionFilter(switch, excludes=(1,))
    assert by_entity["cart_viewed__v1_0"].description == (
        "Cart Viewed event. Only rows whose context_protocols_event_version is 1.")
    union = by_entity["cart_viewed"]
    assert union.rows is None
    version = literal_of(union, "schema_version")
    assert (version.switch, version.cases, version.literal) == (switch, ((1, "1-1"), (2, "2-0")), "2-0")
    assert literal_of(union, "schema_id").cases == ((1, "segment/shop/Cart Viewed/1-1.json"),
                                                    (2, "segment/shop/Cart Viewed/2-0.json"))
    assert literal_of(union, "schema_metadata").cases == ()  # the same metadata for every version
    assert "protocols_event_version" in [c.name for c in union.columns]


def test_event_version_stored_as_text_and_a_single_major() -> None:
    raw = tables(cart_viewed=COMMON + ["CONTEXT_PROTOCOLS_EVENT_VERSION", "cart_id"])  # varchar, upper-cased
    result = plan(cart_versions("1-0", "1-1"), raw, union=True)
    by_entity = {m.entity: m for m in result.models}
    # one major: the rows cannot be split, and every row follows the latest minor
    assert by_entity["cart_viewed__v1_0"].rows is None and by_entity["cart_viewed__v1_1"].rows is None
    assert literal_of(by_entity["cart_viewed"], "schema_version").cases == ()
    result = plan(cart_versions("1-0", "2-0"), tables(cart_viewed=COMMON + ["CONTEXT_PROTOCOLS_EVENT_VERSION"]))
    switch = next(m for m in result.models if m.entity == "cart_viewed__v1_0").rows.column
    assert switch == VersionColumn("CONTEXT_PROTOCOLS_EVENT_VERSION", is_text=True)


def test_version_notes_follow_descriptions_without_a_full_stop() -> None:
    schemas = cart_versions("1-0", "2-0")
    schemas[0].data["description"] = "Cart opened  "
    result = plan(schemas, tables(cart_viewed=COMMON + ["cart_id", "currency"]))
    assert result.models[0].description.startswith("Cart opened. All rows of the table")


def test_a_single_version_keeps_every_row_and_gets_no_union() -> None:
    raw = tables(cart_viewed=COMMON + ["context_protocols_event_version", "cart_id"])
    (model,) = plan(cart_versions("2-0"), raw, union=True).models
    assert (model.entity, model.rows, model.union_of) == ("cart_viewed", None, [])


def test_a_property_named_schema_version_keeps_its_name_in_the_union() -> None:
    raw = tables(cart_viewed=COMMON + ["schema_version"])
    props = {"schema_version": {"type": "string"}}
    result = plan([schema("Cart Viewed", "1-0", props), schema("Cart Viewed", "2-0", props)], raw, union=True)
    union = next(m for m in result.models if m.entity == "cart_viewed")
    assert literal_of(union, "schema_version").raw == "schema_version"
    assert literal_of(union, "schema_version_2").literal == "2-0"
    assert any("named it 'schema_version_2'" in w for w in result.warnings)


def test_users_and_standard_tables_model_traits_and_skip_missing_tables() -> None:
    raw = tables(identifies=COMMON + ["email"], users=["id", "received_at", "email", "plan"], tracks=COMMON)
    result = plan([schema("Identify", properties={"email": {"type": "string", "description": "Email."}}),
                   schema("Signed Up")], raw)
    by_entity = {m.entity: m for m in result.models}
    users = by_entity["users"]
    assert {c.raw: c.name for c in users.columns if c.raw} == {"id": "user_id", "received_at": "received_at_tstamp",
                                                               "email": "email"}
    assert any("'plan' is not a trait of any selected Identify schema" in w for w in result.warnings)
    assert "tracks" in by_entity
    assert result.skipped == [("segment/shop/Signed Up/1-0.json", "table 'signed_up' is not in shop")]


def test_sdk_table_is_lazy_and_unknown_sdk_lists_known() -> None:
    assert SDKS == {"segment": "reflekt.sdks.segment:SegmentLayout"}
    assert get_sdk("segment").name == "segment"
    with pytest.raises(UsageError, match="unknown --sdk 'snowplow'") as info:
        get_sdk("snowplow")
    assert "segment" in info.value.hint
