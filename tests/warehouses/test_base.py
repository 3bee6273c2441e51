"""--source parsing, driver extras, and the connector table."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import tomllib

from reflekt.errors import ConfigError, MissingDependency, UsageError
from reflekt.warehouses.base import (
    DRIVER_EXTRAS,
    WAREHOUSES,
    SourcePart,
    get_warehouse,
    import_driver,
    parse_source,
)

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("demo.main.ecommerce", ("demo", SourcePart("main"), SourcePart("ecommerce"))),
        ('sf."my.db".raw', ("sf", SourcePart("my.db", True), SourcePart("raw"))),
        ('bq."proj-1"."a ""b"""', ("bq", SourcePart("proj-1", True), SourcePart('a "b"', True))),
        ("  pg.db.schema  ", ("pg", SourcePart("db"), SourcePart("schema"))),
    ],
)
def test_parse_source(text: str, expected: tuple) -> None:
    ref = parse_source(text)
    assert (ref.id, ref.database, ref.schema) == expected


@pytest.mark.parametrize("text", ["demo", "demo.main", "a.b.c.d", "a..c", '"a.b.c', "a.b.", ".a.b", 'a."b"x.c'])
def test_malformed_source_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match=r"is not <id>\.<database>\.<schema>") as info:
        parse_source(text)
    assert "hint" not in str(info.value) and info.value.hint


def test_every_driver_hint_names_an_extra_that_exists() -> None:
    extras = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["optional-dependencies"]
    for module, extra in DRIVER_EXTRAS.items():
        assert extra in extras, f"{module} -> reflekt[{extra}] is not an extra in pyproject.toml"
        error = MissingDependency(module, extra)
        assert re.fullmatch(r"pip install 'reflekt\[([a-z]+)\]'", error.hint).group(1) in extras
    for name in WAREHOUSES:  # every warehouse type has its own extra (duckdb is a core dependency)
        assert name == "duckdb" or name in extras


def test_missing_driver_names_its_extra() -> None:
    with pytest.raises(MissingDependency) as info:
        import_driver("reflekt_no_such_driver")
    assert "pip install 'reflekt[" in info.value.hint


def test_every_connector_in_the_table_imports_lazily_and_has_the_protocol() -> None:
    for kind in WAREHOUSES:
        warehouse = get_warehouse(SimpleNamespace(type=kind, id=kind, path=":memory:"))
        for method in ("check", "columns", "resolve", "close", "connect"):
            assert callable(getattr(warehouse, method)), (kind, method)
        assert warehouse.dialect == kind


def test_unknown_warehouse_type_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="unknown warehouse type 'oracle'") as info:
        get_warehouse(SimpleNamespace(type="oracle", id="x"))
    assert "duckdb" in info.value.hint
