"""The package's YAML emitter: whatever the text, the file loads back to exactly the data."""

from __future__ import annotations

import pytest
import yaml

from reflekt.builders.dbt.yml import dump

TRICKY = ["plain text", "a: b", "# not a comment", "- dash", "yes", "No", "null", "~", "1.0", "007", "",
          " leading", "trailing ", "quote ' and \" both", "back\\slash", "tab\tand\nnewline", "ünïcödé €",
          "{{ '{' }} jinja", "[flow]", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick`", "x #y",
          "Segment 'tracks' table.", "$id", ">=1.10.0", "a,b", "...", "---", "?", ":",
          # values YAML 1.1 would read back as numbers, bools, nulls or dates if written plain
          "+44", "-1", "1e3", "0x10", ".5", "+.5", "+.inf", "-.inf", ".nan", "1_000", "1:20", "0o17", "0b101",
          "2024-01-01", "2024-01-01 10:00:00", "On", "OFF", "Y", "NULL", "True", "=", "<<", "+", "+abc"]


@pytest.mark.parametrize("text", TRICKY)
def test_strings_round_trip(text: str) -> None:
    data = {"version": 2, "models": [{"name": text, "description": text, "columns": [{"name": "x", "data_tests": [
        "not_null", {"accepted_values": {"arguments": {"values": [text, "b"]}}}]}]}], text or "k": [], "e": {}}
    assert yaml.safe_load(dump(data)) == data


def test_look_alike_numbers_are_quoted_so_accepted_values_stay_strings() -> None:
    assert dump({"values": ["+44", "-1", "yes", "~", "2024-01-01", "+abc"]}) == (
        'values:\n  - "+44"\n  - "-1"\n  - "yes"\n  - "~"\n  - "2024-01-01"\n  - +abc\n'
    )


def test_block_style_with_indented_lists() -> None:
    assert dump({"version": 2, "models": [{"name": "m", "columns": [{"name": "c", "quote": True}]}]}) == (
        "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: c\n        quote: true\n"
    )
