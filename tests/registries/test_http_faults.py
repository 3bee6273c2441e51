"""Faults on the wire: retries, timeouts, bad bodies and credentials — exit codes and no partial writes."""

from __future__ import annotations

import json

import httpx
import pytest

from reflekt.errors import ConnectionFailed, ExitCode
from reflekt.registries import http
from tests.fakes.fixtures import segment_profiles
from tests.fakes.segment import track_rule
from tests.fakes.server import FakeServer, Reply

PROPS = {"sku": {"type": "string", "description": "Sku."}}


@pytest.fixture
def shop(make_project, segment_fake):
    segment_fake.add_plan("shop", [track_rule("A", 1, PROPS), track_rule("B", 1, PROPS)])
    return make_project(profiles_yml=segment_profiles(segment_fake.url))


def _schemas(root):
    return sorted(p.name for p in (root / "schemas").rglob("*.json"))


def test_429_with_retry_after_is_retried(cli, shop, segment_fake) -> None:
    segment_fake.server.fail(
        Reply(
            429,
            b'{"errors": [{"type": "RateLimited", "message": "Rate limit exceeded"}]}',
            {"Retry-After": "0"},
        ),
        path_prefix="/tracking-plans/",
        times=2,
    )
    result = cli("--project-dir", shop, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.OK, result.output
    assert "2 created" in result.stdout


def test_500_then_success(cli, shop, segment_fake) -> None:
    segment_fake.server.fail(Reply(500, b"oops"), method="GET", times=1)
    result = cli("--project-dir", shop, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.OK, result.output


def test_persistent_429_gives_up_with_exit_2_and_writes_nothing(cli, shop, segment_fake) -> None:
    segment_fake.server.fail(
        Reply(429, b"{}", {"Retry-After": "0"}), path_prefix="/tracking-plans/", times=99
    )
    result = cli("--project-dir", shop, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert (
        "Segment kept rate-limiting (HTTP 429) while listing the rules of tracking plan 'shop'"
        in result.stderr
    )
    assert _schemas(shop) == []


def test_timeout_is_a_connection_error(cli, shop, segment_fake, monkeypatch) -> None:
    monkeypatch.setattr(http, "SETTINGS", http.HttpSettings(timeout=0.1, retries=2, backoff_base=0.001))
    segment_fake.server.fail(Reply(200, b"{}", delay=0.4), path_prefix="/tracking-plans/", times=99)
    result = cli("--project-dir", shop, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert "Segment did not answer in time while listing the rules of tracking plan 'shop'" in result.stderr
    assert _schemas(shop) == []


def test_truncated_json_is_a_connection_error(cli, shop, segment_fake) -> None:
    segment_fake.server.fail(Reply(200, b'{"data": {"rules": [{"key": "A"'), path_prefix="/tracking-plans/")
    result = cli("--project-dir", shop, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert (
        "Segment returned an invalid JSON body while listing the rules of tracking plan 'shop'"
        in result.stderr
    )
    assert "Traceback" not in result.output and _schemas(shop) == []


def test_401_names_the_action_and_hints_at_the_token(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("shop")
    root = make_project(profiles_yml=segment_profiles(segment_fake.url, token="wrong-token"))
    result = cli("--project-dir", root, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert (
        "Segment rejected the credentials (HTTP 401) while listing tracking plans: Unauthorized"
        in result.stderr
    )
    assert "check the token" in result.stderr
    assert "wrong-token" not in result.output


def test_refused_connection_is_exit_2(cli, make_project, fast_http) -> None:
    with FakeServer(lambda r: Reply(200)) as server:
        url = server.url
    root = make_project(profiles_yml=segment_profiles(url))
    result = cli("--project-dir", root, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.USAGE
    assert f"cannot reach Segment at {url}" in result.stderr


def test_waits_honour_retry_after_but_are_capped() -> None:
    slept: list[float] = []
    replies = iter([Reply(429, b"", {"Retry-After": "3600"}), Reply(503, b""), Reply(200, b'{"ok": true}')])
    settings = http.HttpSettings(retries=3, backoff_base=0.25, max_retry_sleep=5)
    with FakeServer(lambda r: next(replies)) as server:
        with http.HttpClient("X", server.url, settings=settings, sleep=slept.append) as client:
            response = client.request("GET", "/", doing="testing")
    assert response.status_code == 200
    assert slept == [5, 0.5]  # Retry-After capped at 5s; then exponential backoff (0.25 * 2**1)


def test_post_is_not_retried_on_500() -> None:
    with FakeServer(lambda r: Reply(500, b"{}")) as server:
        with (
            http.HttpClient(
                "X", server.url, settings=http.HttpSettings(retries=3), sleep=lambda s: None
            ) as c,
            pytest.raises(ConnectionFailed, match="HTTP 500 while creating"),
        ):
            c.request("POST", "/", doing="creating")
        assert len(server.requests("POST")) == 1


def test_server_delay_forms() -> None:
    import email.utils
    import time

    in_ten = email.utils.formatdate(time.time() + 10, usegmt=True)  # Segment's X-RateLimit-Reset form
    assert http.server_delay(httpx.Headers({"Retry-After": "2"})) == 2
    assert 8 <= http.server_delay(httpx.Headers({"Retry-After": in_ten})) <= 10
    assert 8 <= http.server_delay(httpx.Headers({"X-RateLimit-Reset": in_ten})) <= 10
    assert http.server_delay(httpx.Headers({"X-RateLimit-Reset": "3"})) == 3
    body = b'{"errors": [{"type": "RequestError", "message": "Too many requests", "data": {"msBeforeNext": 1500}}]}'
    assert http.server_delay(httpx.Headers({}), body) == 1.5
    assert http.server_delay(httpx.Headers({})) is None
    assert http.server_delay(httpx.Headers({"Retry-After": "soon"})) is None


def test_failure_on_a_later_plan_writes_nothing_at_all(cli, make_project, segment_fake) -> None:
    segment_fake.add_plan("first", [track_rule("A", 1, PROPS)])
    second = segment_fake.add_plan("second", [track_rule("B", 1, PROPS)])
    root = make_project(profiles_yml=segment_profiles(segment_fake.url))
    segment_fake.server.fail(Reply(500, b"{}"), path_prefix=f"/tracking-plans/{second}/", times=99)
    result = cli("--project-dir", root, "pull", "--select", "segment")
    assert result.code == ExitCode.USAGE
    assert "Segment failed with HTTP 500 while listing the rules of tracking plan 'second'" in result.stderr
    assert _schemas(root) == []
    segment_fake.server.faults.clear()
    ok = cli("--project-dir", root, "pull", "--select", "segment")
    assert ok.code == ExitCode.OK and "2 created" in ok.stdout


def test_429_in_segments_documented_form_is_retried(cli, shop, segment_fake) -> None:
    body = {
        "errors": [
            {
                "type": "RequestError",
                "message": "Too many requests",
                "data": {"remainingPoints": 0, "msBeforeNext": 20, "consumedPoints": 21},
            }
        ]
    }
    segment_fake.server.fail(Reply(429, json.dumps(body).encode()), method="GET", times=1)
    result = cli("--project-dir", shop, "pull", "--select", "segment/shop")
    assert result.code == ExitCode.OK, result.output
    assert "2 created" in result.stdout


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_refused_connection_retries_even_a_post(fast_http) -> None:
    waits: list[float] = []
    client = http.HttpClient("X", f"http://127.0.0.1:{_closed_port()}", sleep=waits.append)
    with client, pytest.raises(ConnectionFailed, match="cannot reach X at .* while posting: ConnectError"):
        client.request("POST", "/things", doing="posting", json_body={"a": 1})
    assert len(waits) == http.SETTINGS.retries  # the server never saw the request: safe to resend


def test_a_read_timeout_retries_a_get_but_never_a_post() -> None:
    settings = http.HttpSettings(timeout=0.1, retries=2)
    with FakeServer(lambda _request: Reply(200, b"{}", delay=0.3)) as server:
        for method, expected_attempts in (("GET", settings.retries + 1), ("POST", 1)):
            waits: list[float] = []
            client = http.HttpClient("X", server.url, settings=settings, sleep=waits.append)
            with client, pytest.raises(ConnectionFailed, match="X did not answer in time while doing it"):
                client.request(method, "/slow", doing="doing it")
            assert len(server.requests(method)) == expected_attempts and len(waits) == expected_attempts - 1
