"""Redirects: followed on the same origin, refused across origins so credentials stay put."""

from __future__ import annotations

import json

import httpx
import pytest

from reflekt.errors import ExitCode
from reflekt.registries import http
from tests.fakes.iglu import iglu_profiles
from tests.fakes.server import FakeServer, Reply, Request

API_KEY = "6175aa41-d3b7-4e4f-9fb4-3a170f3c6c16"
SCHEMAVER_YML = (
    "version: 1.0\nname: p\nvendor: com.example\ndefault_profile: dev\nschemas:\n  versioning: schemaver\n"
)
SCHEMA = {
    "$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
    "self": {"vendor": "com.acme", "name": "thing", "format": "jsonschema", "version": "1-0-0"},
    "type": "object",
}


def _push_project(make_project, url: str):
    root = make_project(project_yml=SCHEMAVER_YML, profiles_yml=iglu_profiles(url, API_KEY))
    path = root / "schemas/iglu/com.acme/thing/1-0-0.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"$id": "iglu/com.acme/thing/1-0-0.json", **SCHEMA}), encoding="utf-8")
    return root


def test_a_redirect_to_another_origin_is_refused_and_the_key_never_leaves(cli, make_project, iglu_fake) -> None:
    def moved(request: Request) -> Reply:
        query = "?" + "&".join(f"{k}={v}" for k, v in request.query) if request.query else ""
        return Reply(307, b"", {"Location": iglu_fake.url + request.path + query})

    with FakeServer(moved) as old:  # same host, another port: another origin
        root = _push_project(make_project, old.url)
        result = cli("--project-dir", root, "push", "--select", "iglu")
    assert result.code == ExitCode.USAGE, result.output
    assert f"Iglu redirected to another host while checking for an Iglu Server: {old.url} -> {iglu_fake.url}" in (
        result.stderr
    )
    assert f"set the registry `url:` in reflekt_profiles.yml to the final address ({iglu_fake.url})" in result.stderr
    assert old.requests() and all(r.header("apikey") == API_KEY for r in old.requests())
    assert iglu_fake.server.requests() == []  # the key never reached the second server
    assert iglu_fake.schemas == {} and "Traceback" not in result.output


def test_a_same_origin_redirect_is_followed_with_the_key(cli, make_project, iglu_fake) -> None:
    def handle(request: Request) -> Reply:
        if request.path.startswith("/old/"):
            query = "?" + "&".join(f"{k}={v}" for k, v in request.query) if request.query else ""
            return Reply(308, b"", {"Location": request.path[len("/old") :] + query})
        return iglu_fake.handle(request)

    with FakeServer(handle) as server:
        root = _push_project(make_project, server.url + "/old")
        result = cli("--project-dir", root, "push", "--select", "iglu")
        puts = server.requests("PUT")
    assert result.code == ExitCode.OK, result.output
    assert ("com.acme", "thing", "jsonschema", "1-0-0") in iglu_fake.schemas
    assert [r.path for r in puts] == ["/old/api/schemas/com.acme/thing/jsonschema/1-0-0"] + [
        "/api/schemas/com.acme/thing/jsonschema/1-0-0"
    ]
    assert all(r.header("apikey") == API_KEY for r in puts)


@pytest.mark.parametrize(
    ("origin", "target", "same"),
    [
        ("http://a.example/x", "http://a.example/y", True),
        ("http://a.example/x", "https://a.example/x", True),  # an upgrade keeps the host
        ("https://a.example/x", "http://a.example/x", False),  # a downgrade would expose the key
        ("http://a.example:8080/x", "https://a.example/x", False),
        ("http://127.0.0.1:1/x", "http://127.0.0.1:2/x", False),
        ("http://a.example/x", "http://b.example/x", False),
    ],
)
def test_same_origin(origin: str, target: str, same: bool) -> None:
    assert http._same_origin(httpx.URL(origin), httpx.URL(target)) is same
