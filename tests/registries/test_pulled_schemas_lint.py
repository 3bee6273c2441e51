"""Pulled schemas lint clean under the default conventions when the registry data allows it."""

from __future__ import annotations

import json

from reflekt.errors import ExitCode
from tests.fakes.avo import avo_profiles
from tests.fakes.fixtures import segment_profiles
from tests.fakes.segment import track_rule


def _with_init_meta_schema(root):
    from reflekt.init.templates import meta_schema_text

    (root / "schemas/.reflekt/meta/1-0.json").write_text(meta_schema_text(), encoding="utf-8")
    return root


def test_pulled_segment_plan_lints_clean(cli, make_project, segment_fake) -> None:
    props = {
        "cart_id": {"type": "string", "description": "Cart id."},
        "total": {"type": "number", "description": "Cart total."},
    }
    segment_fake.add_plan(
        "ecommerce",
        [
            track_rule(
                "Cart Viewed", 1, props, ["cart_id"], "A user viewed the cart.", {"code_owner": "team-cart"}
            ),
            track_rule(
                "",
                1,
                {"email": {"type": "string", "description": "Email."}},
                [],
                "Who the user is.",
                rule_type="IDENTIFY",
            ),
        ],
    )
    root = _with_init_meta_schema(make_project(profiles_yml=segment_profiles(segment_fake.url)))
    assert cli("--project-dir", root, "pull", "--select", "segment/ecommerce").code == ExitCode.OK
    result = cli("--project-dir", root, "lint", "--select", "segment/ecommerce")
    assert result.code == ExitCode.OK, result.output


def test_pulled_avo_branch_only_breaks_rules_the_avo_data_breaks(cli, make_project, avo_fake) -> None:
    root = _with_init_meta_schema(make_project(profiles_yml=avo_profiles(avo_fake.url)))
    assert cli("--project-dir", root, "pull", "--select", "avo/main").code == ExitCode.OK
    result = cli("--project-dir", root, "lint", "--select", "avo/main", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    errors = {f["code"] for f in findings if f["severity"] == "error"}
    # Avo names events in snake_case (the real export): only event-name casing is an error
    assert errors == {"NM01"}, findings
    assert result.code == ExitCode.FINDINGS
