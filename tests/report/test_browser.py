"""The HTML report in a real headless Chromium: events shown, filters applied, a phone screenshot.

Chromium comes from the Debian package `chromium`; outside CI the test skips when it is absent,
with CI=true it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reflekt.report.html import render_html
from reflekt.report.model import build_report

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = next((path for path in map(shutil.which, BROWSERS) if path), None)
    if found is None:
        reason = "headless Chromium is not installed (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(f"CI=true requires it: {reason}")
        pytest.skip(reason)
    return found


@pytest.fixture
def report_file(tmp_path: Path, schemas) -> Path:
    path = tmp_path / "tracking-plan.html"
    path.write_text(render_html(build_report("shop", schemas)), encoding="utf-8")
    return path


def browse(chromium: str, tmp_path: Path, url: str, *extra: str) -> str:
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    proc = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


class Dom(HTMLParser):
    """Which event sections are visible, and the text of the counter, after the page's JS ran."""

    def __init__(self) -> None:
        super().__init__()
        self.visible: list[str] = []
        self.hidden: list[str] = []
        self.images = 0
        self.empty_hidden = True
        self.count = ""
        self._in_count = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "section" and "data-name" in a:
            (self.hidden if "hidden" in a else self.visible).append(a["data-name"])
        self.images += tag == "img"
        if a.get("id") == "empty":
            self.empty_hidden = "hidden" in a
        self._in_count = a.get("id") == "count"

    def handle_data(self, data: str) -> None:
        if self._in_count:
            self.count += data
            self._in_count = False


def dom_at(chromium: str, tmp_path: Path, report_file: Path, fragment: str = "") -> Dom:
    dom = Dom()
    dom.feed(browse(chromium, tmp_path, report_file.as_uri() + fragment, "--dump-dom"))
    return dom


def test_every_event_is_shown_and_hostile_text_stays_text(chromium, tmp_path, report_file) -> None:
    dom = dom_at(chromium, tmp_path, report_file)
    assert dom.visible == ["Cart Viewed", "Order Completed", "Signed Up"]
    assert dom.count == "3 of 3 events shown"
    assert dom.images == 0  # the <img onerror> in a description was not turned into an element


@pytest.mark.parametrize(
    "fragment, visible",
    [
        ("#q=order", ["Order Completed"]),
        ("#q=SKU", ["Order Completed"]),  # property names are searchable, case-insensitively
        ("#q=shop%20viewed", ["Cart Viewed"]),  # every word must match
        ("#owner=team-growth", ["Cart Viewed"]),
        ("#q=order&owner=team-growth", []),
    ],
)
def test_filter_from_the_url_hash(chromium, tmp_path, report_file, fragment: str, visible: list[str]) -> None:
    dom = dom_at(chromium, tmp_path, report_file, fragment)
    assert dom.visible == visible
    assert dom.count == f"{len(visible)} of 3 events shown"
    assert dom.empty_hidden == bool(visible)


def test_phone_screenshot(chromium, tmp_path, report_file) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-phone.png"
    shot.unlink(missing_ok=True)
    browse(chromium, tmp_path, report_file.as_uri(), "--window-size=390,844", f"--screenshot={shot}", "--hide-scrollbars")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (390, 844)
    assert len(data) > 10_000  # a rendered page, not a blank image
