from pathlib import Path

import pytest

from reflekt.errors import SchemaError
from reflekt.schema import SchemaId, Version, load_schema, parse_version
from tests.helpers import event_schema, write_schema


@pytest.mark.parametrize("text,parts", [("1-0", (1, 0)), ("2-13", (2, 13)), ("10-0", (10, 0))])
def test_major_minor_versions_parse(text: str, parts: tuple) -> None:
    assert parse_version(text).parts == parts


@pytest.mark.parametrize("text", ["0-1", "1-01", "01-0", "1", "1-0-0", "1.0", "a-b", "", "1--0", " 1-0"])
def test_bad_major_minor_versions_are_rejected_with_the_expected_shape(text: str) -> None:
    with pytest.raises(SchemaError, match="expected MAJOR-MINOR"):
        parse_version(text)


def test_schemaver_versions() -> None:
    assert parse_version("1-0-2", "schemaver").parts == (1, 0, 2)
    with pytest.raises(SchemaError, match="MODEL-REVISION-ADDITION"):
        parse_version("1-0", "schemaver")


def test_versions_sort_numerically() -> None:
    versions = [parse_version(v) for v in ["1-10", "1-9", "2-0", "1-0"]]
    assert [str(v) for v in sorted(versions)] == ["1-0", "1-9", "1-10", "2-0"]
    assert Version((2, 0)).major == 2


def test_schema_id_parts() -> None:
    sid = SchemaId("segment/ecommerce/Cart Viewed/1-0.json")
    assert (sid.folder, sid.event_name, sid.version_text) == ("segment/ecommerce", "Cart Viewed", "1-0")


def test_load_schema_reads_self_and_both_metadata_forms(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    path = write_schema(schemas, "shop/Order Completed/1-0.json", event_schema("shop/Order Completed/1-0.json"))
    schema = load_schema(path, schemas)
    assert schema.id.value == "shop/Order Completed/1-0.json"
    assert (schema.name, schema.version, schema.vendor) == ("Order Completed", "1-0", "com.example")
    assert schema.metadata == {"code_owner": "team-data"}
    legacy = event_schema("shop/A/1-0.json")
    legacy["metadata"] = legacy["self"].pop("metadata")  # Reflekt 0.3's top-level form
    schema = load_schema(write_schema(schemas, "shop/A/1-0.json", legacy), schemas)
    assert schema.metadata == {"code_owner": "team-data"}


def test_malformed_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = write_schema(tmp_path, "x/E/1-0.json", '{\n  "a": 1,\n  "b": ,\n}')
    with pytest.raises(SchemaError) as info:
        load_schema(path, tmp_path)
    assert (info.value.line, info.value.col) == (3, 8)
    assert str(info.value).endswith("x/E/1-0.json:3:8: invalid JSON: Expecting value")


def test_non_object_schema_is_rejected(tmp_path: Path) -> None:
    path = write_schema(tmp_path, "x/E/1-0.json", "[1, 2]")
    with pytest.raises(SchemaError, match="must be a JSON object, not list"):
        load_schema(path, tmp_path)
