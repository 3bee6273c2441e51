"""Well-formed JSON in the wrong shape, and hostile error bodies: exit 2 naming the call, never a crash."""

from __future__ import annotations

import json

import pytest

from reflekt.errors import ConnectionFailed, ExitCode
from reflekt.profiles import SegmentRegistry as SegmentEntry
from reflekt.registries.base import get_registry
from tests.fakes.fixtures import segment_profiles
from tests.fakes.segment import track_rule
from tests.fakes.server import Reply
from tests.helpers import event_schema

PROPS = {"sku": {"type": "string", "description": "Sku."}}
DEEP = b'{"message": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"


def _ok(data: dict) -> Reply:
    return Reply(200, json.dumps({"data": data}).encode())


@pytest.mark.parametrize(
    ("pagination", "what"),
    [
        ("abc", "`pagination` is not an object"),
        ({"next": {"cursor": "x"}}, "`pagination.next` is not a string cursor"),
        ({"next": ["x"]}, "`pagination.next` is not a string cursor"),
    ],
)
def test_a_malformed_pagination_is_a_clean_error(cli, make_project, segment_fake, pagination, what) -> None:
    segment_fake.add_plan("shop", [track_rule("A", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    segment_fake.server.fail(
        _ok({"trackingPlans": [], "pagination": pagination}), method="GET", path_prefix="/tracking-plans"
    )
    result = cli("--project-dir", root, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE, result.output
    assert f"Segment answered with an unexpected body while listing tracking plans: {what}" in result.stderr
    assert "Traceback" not in result.output and not list((root / "schemas").rglob("*.json"))


def test_a_created_plan_without_tracking_plan_is_a_clean_error(cli, make_project, segment_fake) -> None:
    schema_id = "segment/shop/Cart Viewed/1-0.json"
    root = make_project(schemas={schema_id: event_schema(schema_id)}, profiles_yml=segment_profiles(segment_fake.url))
    segment_fake.server.fail(_ok({"plan": {"id": "x"}}), method="POST", path_prefix="/tracking-plans")
    result = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE, result.output
    assert (
        "Segment answered with an unexpected body while creating tracking plan 'shop': "
        "no `trackingPlan` object with an `id`"
    ) in result.stderr
    assert "Traceback" not in result.output and "Pushed" not in result.stdout


@pytest.mark.parametrize("workspace", ["Acme", ["Acme"], None])
def test_check_with_a_malformed_workspace_is_a_clean_error(segment_fake, workspace) -> None:
    segment_fake.server.fail(_ok({"workspace": workspace}), method="GET", path_prefix="/")
    entry = SegmentEntry(type="segment", api_token="sgp_test_token", url=segment_fake.url)
    with pytest.raises(ConnectionFailed, match="while reading the workspace: `workspace` is not an object"):
        get_registry(entry, object()).check()


def test_a_10000_deep_segment_error_body_is_a_clean_error(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("shop", [track_rule("A", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    segment_fake.server.fail(Reply(400, DEEP), method="GET")
    result = cli("--project-dir", root, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE, result.output
    assert "Segment answered HTTP 400 while listing tracking plans" in result.stderr
    assert "Traceback" not in result.output


def test_a_10000_deep_iglu_error_body_is_a_clean_error(cli, make_project, iglu_fake) -> None:
    from tests.fakes.iglu import iglu_profiles

    root = make_project(profiles_yml=iglu_profiles(iglu_fake.url, "key"))
    iglu_fake.server.fail(Reply(400, DEEP), method="GET", path_prefix="/api/schemas")
    result = cli("--project-dir", root, "pull", "--select", "iglu")
    assert result.code == ExitCode.USAGE, result.output
    assert "Iglu answered HTTP 400 while listing schemas on the Iglu Server" in result.stderr
    assert "Traceback" not in result.output


def test_a_10000_deep_avo_error_body_is_a_clean_error(cli, make_project, avo_fake) -> None:
    from tests.fakes.avo import avo_profiles
    from tests.registries.test_avo import PROJECT_YML

    root = make_project(project_yml=PROJECT_YML, profiles_yml=avo_profiles(avo_fake.url, secret="s3cret"))
    avo_fake.server.fail(Reply(400, DEEP), method="GET")
    result = cli("--project-dir", root, "pull", "--select", "avo/main")
    assert result.code == ExitCode.USAGE, result.output
    assert "Avo answered HTTP 400 while" in result.stderr
    assert "Traceback" not in result.output and "s3cret" not in result.output
