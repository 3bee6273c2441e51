"""Segment push: create plan, PUT for a whole plan, PATCH for an event, --delete, --dry-run, MINOR notes."""

from __future__ import annotations

from reflekt.errors import ExitCode
from tests.fakes.fixtures import segment_profiles
from tests.fakes.segment import track_rule
from tests.helpers import event_schema

PROPS = {"sku": {"type": "string", "description": "Stock keeping unit."}}


def _project(make_project, fake, ids: list[str], **kw):
    schemas = {i: event_schema(i, **kw) for i in ids}
    return make_project(schemas=schemas, profiles_yml=segment_profiles(fake.url))


def test_push_creates_the_plan_and_replaces_its_rules(cli, make_project, segment_fake) -> None:
    root = _project(
        make_project, segment_fake, ["segment/shop/Cart Viewed/1-0.json", "segment/shop/Identify/1-0.json"]
    )
    result = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert result.code == ExitCode.OK, result.output
    assert "tracking plan 'shop' does not exist and will be created" in result.stdout
    assert "+ added    Cart Viewed (rule version 1)" in result.stdout
    assert "Pushed 2 change(s) to Segment tracking plan 'shop'" in result.stdout
    plan_id = segment_fake.plan_by_name("shop")
    rules = {(r["type"], r.get("key")): r for r in segment_fake.rules[plan_id]}
    assert set(rules) == {("TRACK", "Cart Viewed"), ("IDENTIFY", None)}
    track = rules[("TRACK", "Cart Viewed")]["jsonSchema"]
    assert track["properties"]["properties"]["properties"] == {
        "product_id": {"type": "string", "description": "Product id."}
    }
    assert track["labels"] == {"code_owner": "team-data"}
    assert [r.method for r in segment_fake.server.requests() if r.method != "GET"] == ["POST", "PUT"]


def test_pull_then_push_is_a_no_op(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan(
        "shop",
        [
            track_rule("Cart Viewed", 1, PROPS, ["sku"], "Cart.", {"owner": "x"}),
            track_rule("", 1, PROPS, [], "Who.", rule_type="IDENTIFY"),
            track_rule("Cart Viewed", 2, PROPS, [], "Cart v2."),
        ],
    )
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    assert cli("--project-dir", root, "pull", "--select", "segment/shop").code == ExitCode.OK
    dry = cli("--project-dir", root, "push", "--select", "segment/shop", "--dry-run")
    assert dry.code == ExitCode.OK, dry.output
    assert "Dry run: no changes for Segment tracking plan 'shop'" in dry.stdout
    real = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert real.code == ExitCode.OK and "is up to date; nothing was sent" in real.stdout
    assert [r.method for r in segment_fake.server.requests() if r.method != "GET"] == []


def test_dry_run_lists_added_changed_removed_and_sends_nothing(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("shop", [track_rule("Cart Viewed", 1, PROPS), track_rule("Old Event", 1, PROPS)])
    root = _project(
        make_project, segment_fake, ["segment/shop/Cart Viewed/1-0.json", "segment/shop/New Event/1-0.json"]
    )
    result = cli("--project-dir", root, "push", "--select", "segment/shop", "--dry-run")
    assert result.code == ExitCode.OK, result.output
    assert "+ added    New Event (rule version 1)" in result.stdout
    assert "~ changed  Cart Viewed (rule version 1)" in result.stdout and "+product_id" in result.stdout
    assert "- removed  Old Event (rule version 1)" in result.stdout
    assert "Dry run: 3 change(s)" in result.stdout
    assert [r.method for r in segment_fake.server.requests() if r.method != "GET"] == []


def test_event_select_upserts_with_patch_and_keeps_other_rules(cli, make_project, segment_fake) -> None:
    plan_id = segment_fake.add_plan("shop", [track_rule("Other", 1, PROPS)])
    root = _project(make_project, segment_fake, ["segment/shop/Cart Viewed/1-0.json"])
    result = cli("--project-dir", root, "push", "--select", "segment/shop/Cart Viewed")
    assert result.code == ExitCode.OK, result.output
    assert [r.method for r in segment_fake.server.requests() if r.method != "GET"] == ["PATCH"]
    assert {r["key"] for r in segment_fake.rules[plan_id]} == {"Other", "Cart Viewed"}


def test_minor_version_pushes_into_its_major_and_says_so(cli, make_project, segment_fake) -> None:
    root = _project(
        make_project, segment_fake, ["segment/shop/Cart Viewed/1-0.json", "segment/shop/Cart Viewed/1-1.json"]
    )
    result = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert result.code == ExitCode.OK, result.output
    assert (
        "Cart Viewed 1-1 is pushed as Segment rule version 1 (Segment keeps only MAJOR versions)"
        in result.stdout
    )
    plan_id = segment_fake.plan_by_name("shop")
    assert [(r["key"], r["version"]) for r in segment_fake.rules[plan_id]] == [("Cart Viewed", 1)]


def test_delete_needs_force_when_not_interactive(cli, make_project, segment_fake) -> None:
    plan_id = segment_fake.add_plan(
        "shop", [track_rule("Cart Viewed", 1, PROPS), track_rule("Keep", 1, PROPS)]
    )
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    refused = cli("--project-dir", root, "push", "--select", "segment/shop/Cart Viewed", "--delete")
    assert refused.code == ExitCode.USAGE
    assert "refusing to delete without confirmation" in refused.stderr and "--force" in refused.stderr
    assert len(segment_fake.rules[plan_id]) == 2
    forced = cli("--project-dir", root, "push", "--select", "segment/shop/Cart Viewed", "--delete", "--force")
    assert forced.code == ExitCode.OK, forced.output
    assert "- removed  Cart Viewed (rule version 1)" in forced.stdout
    assert [r["key"] for r in segment_fake.rules[plan_id]] == ["Keep"]


def test_422_names_the_plan(cli, make_project, segment_fake) -> None:
    from tests.fakes.server import Reply

    segment_fake.add_plan("shop")
    root = _project(make_project, segment_fake, ["segment/shop/Cart Viewed/1-0.json"])
    body = (
        b'{"errors": [{"type": "ValidationFailure", "message": "jsonSchema is invalid", "field": "rules"}]}'
    )
    segment_fake.server.fail(Reply(422, body), method="PUT")
    result = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert (
        "Segment answered HTTP 422 while replacing the rules of tracking plan 'shop': "
        "jsonSchema is invalid (field rules)"
    ) in result.stderr
    assert "Pushed" not in result.stdout


def test_failure_after_creating_the_plan_is_not_reported_as_success(cli, make_project, segment_fake) -> None:
    from tests.fakes.server import Reply

    root = _project(make_project, segment_fake, ["segment/shop/Cart Viewed/1-0.json"])
    segment_fake.server.fail(
        Reply(500, b'{"errors": [{"type": "Internal", "message": "boom"}]}'), method="PUT", times=10
    )
    result = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert "tracking plan 'shop' was created, but has no rules yet" in result.stderr
    assert "Pushed" not in result.stdout


def test_context_rules_survive_a_whole_plan_push(cli, make_project, segment_fake) -> None:
    rule = track_rule("Cart Viewed", 1, PROPS)
    context = {"type": "object", "properties": {"ip": {"type": "string"}}, "required": ["ip"]}
    rule["jsonSchema"]["properties"]["context"] = context
    plan_id = segment_fake.add_plan("shop", [rule])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    pulled = cli("--project-dir", root, "pull", "--select", "segment/shop")
    assert "Cart Viewed: its context rules stay in Segment" in pulled.stdout
    assert (
        "Dry run: no changes"
        in cli("--project-dir", root, "push", "--select", "segment/shop", "--dry-run").stdout
    )
    (root / "schemas/segment/shop/New/1-0.json").parent.mkdir()
    (root / "schemas/segment/shop/New/1-0.json").write_text(
        (root / "schemas/segment/shop/Cart Viewed/1-0.json").read_text().replace("Cart Viewed", "New")
    )
    result = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert result.code == ExitCode.OK, result.output
    kept = next(r for r in segment_fake.rules[plan_id] if r["key"] == "Cart Viewed")
    assert kept["jsonSchema"]["properties"]["context"] == context


def test_interactive_delete_can_be_declined(cli, make_project, segment_fake, monkeypatch) -> None:
    import typer

    from reflekt import console

    plan_id = segment_fake.add_plan("shop", [track_rule("Cart Viewed", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    monkeypatch.setattr(console, "is_interactive", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr(typer, "confirm", lambda question, default=False: asked.append(question) or False)
    result = cli("--project-dir", root, "push", "--select", "segment/shop/Cart Viewed", "--delete")
    assert result.code == ExitCode.USAGE and "push --delete cancelled; nothing was deleted" in result.stderr
    assert asked == ["Delete 1 rule(s) from Segment tracking plan 'shop'?"]
    assert len(segment_fake.rules[plan_id]) == 1


def test_a_file_name_that_is_not_a_version_is_named(cli, make_project, segment_fake) -> None:
    root = _project(make_project, segment_fake, ["segment/shop/Cart Viewed/1-x.json"])
    result = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert "schemas/segment/shop/Cart Viewed/1-x.json: cannot push: invalid version '1-x'" in result.stderr
    assert segment_fake.server.requests() == [] or all(
        r.method == "GET" for r in segment_fake.server.requests()
    )
