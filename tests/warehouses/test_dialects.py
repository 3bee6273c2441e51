"""Identifier quoting and literal escaping per dialect: the parts every generated statement uses."""

from __future__ import annotations

import pytest
import sqlglot

from reflekt.warehouses.dialects import DIALECTS, get_dialect, jinja_safe


@pytest.mark.parametrize(
    ("dialect", "name", "expected"),
    [
        ("postgres", "user_id", "user_id"),
        ("postgres", "UserId", '"UserId"'),
        ("postgres", "order", '"order"'),
        ("postgres", 'a"b', '"a""b"'),
        ("duckdb", "timestamp", '"timestamp"'),
        ("snowflake", "USER_ID", "user_id"),
        ("snowflake", "user_id", '"user_id"'),
        ("snowflake", "TIMESTAMP", '"TIMESTAMP"'),
        ("bigquery", "a`b", "`a\\`b`"),
        ("bigquery", "select", "`select`"),
    ],
)
def test_identifier(dialect: str, name: str, expected: str) -> None:
    assert get_dialect(dialect).identifier(name) == expected


def test_snowflake_keyword_alias_is_stored_upper_case() -> None:
    sf = get_dialect("snowflake")
    assert (sf.alias("order"), sf.alias("page_url")) == ('"ORDER"', "page_url")


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_text_literal_round_trips_through_the_dialect_parser(dialect: str) -> None:
    text = "O'Brien \\ ; -- \n \"x\""
    literal = get_dialect(dialect).text_literal(text)
    assert "::" not in literal
    parsed = sqlglot.parse_one(f"select {literal} as x", read=dialect)
    value = parsed.find(sqlglot.exp.Literal)
    assert value is not None and value.this == text


def test_jinja_safe_makes_braces_print_literally() -> None:
    import jinja2

    text = "{{ x }} {% if %} {# c #}"
    assert jinja2.Environment().from_string(jinja_safe(text)).render() == text
