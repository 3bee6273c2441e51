"""`reflekt pull` end to end against local fake registries."""

from __future__ import annotations

import json

from reflekt.errors import ExitCode
from tests.fakes import fixtures
from tests.fakes.fixtures import segment_profiles
from tests.fakes.segment import track_rule

PROPS = {"cart_id": {"type": "string", "description": "Cart id."}}

fast_http = fixtures.fast_http
segment_fake = fixtures.segment_fake


def test_pull_segment_plan_writes_schemas_and_is_then_unchanged(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan(
        "ecommerce",
        [track_rule("Cart Viewed", 1, PROPS, ["cart_id"], "Viewed a cart.", {"code_owner": "team-cart"})],
    )
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    result = cli("--project-dir", root, "pull", "--select", "segment/ecommerce")
    assert result.code == ExitCode.OK, result.output
    assert "created   schemas/segment/ecommerce/Cart Viewed/1-0.json" in result.stdout
    assert "1 created, 0 changed, 0 unchanged" in result.stdout
    data = json.loads((root / "schemas/segment/ecommerce/Cart Viewed/1-0.json").read_text())
    assert data["$id"] == "segment/ecommerce/Cart Viewed/1-0.json"
    assert data["self"] == {
        "vendor": "com.example",
        "name": "Cart Viewed",
        "format": "jsonschema",
        "version": "1-0",
        "metadata": {"code_owner": "team-cart"},
    }
    assert data["properties"] == PROPS and data["required"] == ["cart_id"]
    again = cli("--project-dir", root, "pull", "--select", "segment/ecommerce")
    assert again.code == ExitCode.OK
    assert "0 created, 0 changed, 1 unchanged" in again.stdout


def test_pull_unknown_plan_names_the_known_ones(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("ecommerce")
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    result = cli("--project-dir", root, "pull", "--select", "segment/nope")
    assert result.code == ExitCode.USAGE
    assert "no Segment tracking plan named 'nope'" in result.stderr
    assert "ecommerce" in result.stderr
