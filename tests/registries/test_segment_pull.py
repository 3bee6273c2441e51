"""Segment pull: pagination, rule types, versions, labels, unsafe names, prune."""

from __future__ import annotations

import json
from pathlib import Path

from reflekt.errors import ExitCode
from tests.fakes.fixtures import segment_profiles
from tests.fakes.segment import track_rule

PROPS = {"sku": {"type": "string", "description": "Stock keeping unit."}}


def _load(root: Path, schema_id: str) -> dict:
    return json.loads((root / "schemas" / schema_id).read_text(encoding="utf-8"))


def test_pull_follows_every_page_of_plans_and_rules(cli, make_project, segment_fake) -> None:
    segment_fake.max_page = 200  # the server caps pages; 450 rules need three of them
    rules = [track_rule(f"Event {n:03d}", 1, PROPS) for n in range(450)]
    for n in range(3):
        segment_fake.add_plan(f"other {n}")
    segment_fake.add_plan("big", rules)
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    result = cli("--project-dir", root, "pull", "--select", "segment/big")
    assert result.code == ExitCode.OK, result.output
    assert "450 created" in result.stdout
    assert len(list((root / "schemas/segment/big").rglob("*.json"))) == 450
    rule_calls = [r for r in segment_fake.server.requests("GET") if r.path.endswith("/rules")]
    assert len(rule_calls) == 3


def test_pull_small_pages_of_plans(cli, make_project, segment_fake) -> None:
    segment_fake.max_page = 2
    for n in range(5):
        segment_fake.add_plan(f"plan {n}", [track_rule("Signed Up", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    result = cli("--project-dir", root, "pull", "--select", "segment/plan 4")
    assert result.code == ExitCode.OK, result.output
    assert (root / "schemas/segment/plan 4/Signed Up/1-0.json").is_file()


def test_every_rule_type_becomes_a_schema(cli, make_project, segment_fake) -> None:
    traits = {"email": {"type": "string", "description": "Email."}}
    segment_fake.add_plan(
        "app",
        [
            track_rule("Order Completed", 2, PROPS, ["sku"], "Order done.", {"owner": "checkout"}),
            track_rule("", 1, traits, ["email"], "Identify call.", rule_type="IDENTIFY"),
            track_rule("", 1, traits, [], "Group call.", rule_type="GROUP"),
            track_rule("", 1, PROPS, [], "Page call.", rule_type="PAGE"),
            track_rule("Home", 1, PROPS, [], "Home screen.", rule_type="SCREEN"),
            track_rule("", 1, {}, [], "Common.", rule_type="COMMON"),
        ],
    )
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    result = cli("--project-dir", root, "pull", "--select", "segment/app")
    assert result.code == ExitCode.OK, result.output
    order = _load(root, "segment/app/Order Completed/2-0.json")
    assert order["self"]["version"] == "2-0" and order["self"]["metadata"] == {"owner": "checkout"}
    assert order["description"] == "Order done." and order["required"] == ["sku"]
    identify = _load(root, "segment/app/Identify/1-0.json")
    assert identify["properties"] == traits and identify["required"] == ["email"]
    assert _load(root, "segment/app/Group/1-0.json")["properties"] == traits
    assert _load(root, "segment/app/Page/1-0.json")["properties"] == PROPS
    assert _load(root, "segment/app/Screen - Home/1-0.json")["self"]["name"] == "Screen - Home"
    assert _load(root, "segment/app/Common/1-0.json")["properties"] == {}


def test_event_select_pulls_one_event_and_keeps_the_rest(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("shop", [track_rule("A Viewed", 1, PROPS), track_rule("B Viewed", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    result = cli("--project-dir", root, "pull", "--select", "segment/shop/B Viewed")
    assert result.code == ExitCode.OK, result.output
    assert (root / "schemas/segment/shop/B Viewed/1-0.json").is_file()
    assert not (root / "schemas/segment/shop/A Viewed").exists()


def test_pull_writes_into_the_highest_local_minor(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("shop", [track_rule("Cart Viewed", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    (root / "schemas/segment/shop/Cart Viewed").mkdir(parents=True)
    (root / "schemas/segment/shop/Cart Viewed/1-2.json").write_text("{}", encoding="utf-8")
    result = cli("--project-dir", root, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.OK, result.output
    assert "changed   schemas/segment/shop/Cart Viewed/1-2.json" in result.stdout
    assert _load(root, "segment/shop/Cart Viewed/1-2.json")["self"]["version"] == "1-2"


def test_unsafe_names_are_made_safe_or_skipped(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("a/b", [track_rule("../../etc\x07passwd", 1, PROPS), track_rule("..", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    result = cli("--project-dir", root, "pull", "--select", "segment/a-b")
    assert result.code == ExitCode.OK, result.output
    written = sorted(p.relative_to(root / "schemas").as_posix() for p in (root / "schemas").rglob("*.json"))
    assert written == ["segment/a-b/-..-etcpasswd/1-0.json"]
    assert "skipped:" in result.stderr and "'..' cannot be used as a folder name" in result.stderr


def test_prune_deletes_only_inside_the_pulled_plan(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("shop", [track_rule("Kept", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    for schema_id in ("segment/shop/Gone/1-0.json", "segment/other/Untouched/1-0.json"):
        (root / "schemas" / schema_id).parent.mkdir(parents=True)
        (root / "schemas" / schema_id).write_text("{}", encoding="utf-8")
    without = cli("--project-dir", root, "pull", "--select", "segment/shop")
    assert without.code == ExitCode.OK and (root / "schemas/segment/shop/Gone/1-0.json").is_file()
    pruned = cli("--project-dir", root, "pull", "--select", "segment/shop", "--prune")
    assert pruned.code == ExitCode.OK, pruned.output
    assert "deleted   schemas/segment/shop/Gone/1-0.json" in pruned.stdout
    assert not (root / "schemas/segment/shop/Gone").exists()
    assert (root / "schemas/segment/other/Untouched/1-0.json").is_file()


def test_region_picks_the_base_url(make_project) -> None:
    from reflekt.profiles import SegmentRegistry as Entry
    from reflekt.registries.segment import EU_URL, US_URL, SegmentRegistry

    eu = SegmentRegistry(Entry(type="segment", api_token="x", region="eu"), None)
    us = SegmentRegistry(Entry(type="segment", api_token="x"), None)
    custom = SegmentRegistry(
        Entry(type="segment", api_token="x", region="eu", url="http://127.0.0.1:1"), None
    )
    assert (eu.base_url, us.base_url, custom.base_url) == (EU_URL, US_URL, "http://127.0.0.1:1")
