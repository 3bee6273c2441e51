"""`check()` is what `reflekt debug` calls: one request with the profile's credentials."""

from __future__ import annotations

from reflekt.profiles import (
    AvoRegistry as AvoEntry,
)
from reflekt.profiles import (
    IgluRegistry as IgluEntry,
)
from reflekt.profiles import (
    SegmentRegistry as SegmentEntry,
)
from reflekt.registries.base import get_registry
from tests.fakes.static import static_server


class _Project:
    class config:
        vendor = "com.example"

        class registry:
            class avo:
                branches = {"main": "main"}

        class schemas:
            versioning = "major-minor"


def test_segment_check_names_the_workspace(segment_fake) -> None:
    entry = SegmentEntry(type="segment", api_token="sgp_test_token", url=segment_fake.url)
    assert get_registry(entry, _Project).check() == f"Segment workspace 'Acme' ({segment_fake.url})"


def test_avo_check_counts_main_events(avo_fake) -> None:
    entry = AvoEntry(
        type="avo",
        workspace_id="ws123",
        service_account_name="reflekt-ci",
        service_account_secret="s3cret",
        url=avo_fake.url,
    )
    assert "18 events on main" in get_registry(entry, _Project).check()


def test_iglu_check_tells_server_from_static(iglu_fake, shared_dir) -> None:
    server = IgluEntry(type="iglu", url=iglu_fake.url)
    assert get_registry(server, _Project).check() == f"Iglu Server at {iglu_fake.url}"
    with static_server(shared_dir / "apis/iglu/iglu-central-samples") as url:
        static = IgluEntry(type="iglu", url=url)
        assert get_registry(static, _Project).check() == f"static Iglu registry at {url}"
