"""`reflekt push` (and pull) argument handling: which registry, which scope, and usage errors."""

from __future__ import annotations

import pytest

from reflekt.errors import ExitCode, UsageError
from reflekt.registries.sync import parse_scope
from tests.fakes import fixtures
from tests.fakes.fixtures import segment_profiles
from tests.helpers import event_schema

fast_http = fixtures.fast_http
segment_fake = fixtures.segment_fake


@pytest.mark.parametrize(
    ("select", "registry", "expected"),
    [
        ("segment/ecommerce", None, ("segment", ("ecommerce",))),
        ("schemas/segment/ecommerce/Cart Viewed/1-0", None, ("segment", ("ecommerce", "Cart Viewed", "1-0"))),
        ("ecommerce", "segment", ("segment", ("ecommerce",))),
        ("avo/main/", "avo", ("avo", ("main",))),
        (None, "iglu", ("iglu", ())),
    ],
)
def test_parse_scope(select, registry, expected) -> None:
    scope = parse_scope(select, registry)
    assert (scope.registry, scope.path) == expected


@pytest.mark.parametrize(
    ("select", "registry", "message"),
    [
        (None, None, "name the registry"),
        ("acme/x", None, "unknown registry 'acme'"),
        ("segment/../x", None, "must not contain '.' or '..'"),
    ],
)
def test_parse_scope_errors(select, registry, message) -> None:
    with pytest.raises(UsageError, match=message):
        parse_scope(select, registry)


def test_push_without_a_registry_is_a_usage_error(cli, make_project) -> None:
    root = make_project()
    result = cli("--project-dir", root, "push")
    assert result.code == ExitCode.USAGE
    assert "name the registry" in result.stderr and "hint:" in result.stderr


def test_push_with_no_local_schemas_says_so(cli, make_project, segment_fake) -> None:
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    result = cli("--project-dir", root, "push", "--select", "segment/missing")
    assert result.code == ExitCode.USAGE
    assert "no local schema under schemas/segment/missing to push" in result.stderr


def test_push_without_a_profile_entry_names_the_registry(cli, make_project) -> None:
    root = make_project(
        schemas={"segment/shop/A/1-0.json": event_schema("segment/shop/A/1-0.json")},
        profiles_yml="dev:\n  registry: []\n",
    )
    result = cli("--project-dir", root, "push", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert "no 'segment' registry in profile 'dev'" in result.stderr


def test_registry_option_with_plan_select(cli, make_project, segment_fake) -> None:
    root = make_project(
        schemas={"segment/shop/A Viewed/1-0.json": event_schema("segment/shop/A Viewed/1-0.json")},
        profiles_yml=segment_profiles(segment_fake.url),
    )
    result = cli("--project-dir", root, "push", "--registry", "segment", "--select", "shop", "--dry-run")
    assert result.code == ExitCode.OK, result.output
    assert "+ added    A Viewed (rule version 1)" in result.stdout
    assert "Dry run: 1 change(s) for Segment tracking plan 'shop'; nothing was sent" in result.stdout


@pytest.mark.parametrize("name", ["pull", "push"])
def test_help_has_an_example(cli, name: str) -> None:
    result = cli(name, "--help")
    assert result.code == 0 and f"Example: reflekt {name} --select segment/ecommerce" in result.stdout
