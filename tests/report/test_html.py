import re
from html.parser import HTMLParser

from reflekt.report.html import render_html
from reflekt.report.model import build_report


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        self.scripts += tag == "script"


def parse(text: str) -> Tags:
    tags = Tags()
    tags.feed(text)
    return tags


def test_html_is_self_contained_and_fetches_nothing(schemas) -> None:
    text = render_html(build_report("shop", schemas))
    tags = parse(text)
    assert not [t for t, a in tags.tags if t in ("link", "iframe", "object", "embed")]
    assert not [a for t, a in tags.tags if a.get("src")]  # no external script/img/font
    assert not re.search(r"url\(|@import|https?://", text.split("<main")[0])  # head: no remote css/fonts
    csp = next(a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none'")
    assert ('meta', {'name': 'viewport', 'content': 'width=device-width, initial-scale=1'}) in tags.tags


def test_all_user_text_is_escaped(schemas) -> None:
    text = render_html(build_report("shop", schemas))
    tags = parse(text)
    assert tags.scripts == 1  # only ours: the hostile <script> in a description stays text
    assert not [a for t, a in tags.tags if t == "img"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in text


def test_every_event_is_a_filterable_section(schemas) -> None:
    tags = parse(render_html(build_report("shop", schemas)))
    sections = [a for t, a in tags.tags if t == "section"]
    assert [s["data-name"] for s in sections] == ["Cart Viewed", "Order Completed", "Signed Up"]
    assert sections[1]["data-owners"] == '["team-checkout", "Ann Lee"]'
    assert "products[].sku" in sections[1]["data-search"]
    options = [a.get("value") for t, a in tags.tags if t == "option"]
    assert options == ["", "Ann Lee", "team-checkout", "team-growth"]
