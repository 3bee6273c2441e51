"""Fixtures for registry tests; test modules import the ones they use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.segment import FakeSegment


@pytest.fixture
def fast_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny timeouts and backoff so retry and timeout tests take milliseconds, not minutes."""
    from reflekt.registries import http

    monkeypatch.setattr(
        http,
        "SETTINGS",
        http.HttpSettings(
            timeout=0.5, connect_timeout=0.5, retries=3, backoff_base=0.001, max_retry_sleep=0.05
        ),
    )


@pytest.fixture
def segment_fake(shared_dir: Path, fast_http: None) -> Iterator[FakeSegment]:
    with FakeSegment(shared_dir) as fake:
        yield fake
    assert fake.violations == [], "the client sent or received off-spec data:\n" + "\n".join(fake.violations)


def segment_profiles(url: str, token: str = "sgp_test_token") -> str:
    return f"dev:\n  registry:\n    - type: segment\n      api_token: {token}\n      url: {url}\n"


@pytest.fixture
def avo_fake(shared_dir: Path, fast_http: None):
    from tests.fakes.avo import FakeAvo

    with FakeAvo(shared_dir) as fake:
        yield fake


@pytest.fixture
def iglu_fake(shared_dir: Path, fast_http: None):
    from tests.fakes.iglu import FakeIgluServer

    with FakeIgluServer(shared_dir) as fake:
        yield fake
