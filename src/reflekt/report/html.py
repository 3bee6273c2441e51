"""The report as one self-contained HTML file: inline CSS and JS, no network, every user text escaped.

A Content-Security-Policy meta tag forbids any fetch, so the page cannot reach the network even
if a schema smuggled a URL into a description.
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from string import Template

from reflekt.report.markdown import BUMP_WORDS
from reflekt.report.model import EventEntry, Report


def _template(name: str) -> str:
    return resources.files("reflekt.report").joinpath("templates", name).read_text(encoding="utf-8")


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def render_html(report: Report) -> str:
    title = f"Tracking plan: {report.project}"
    summary = (
        f"{len(report.events)} event{'s' if len(report.events) != 1 else ''}, "
        f"{report.version_count} schema version{'s' if report.version_count != 1 else ''}"
    )
    owner_options = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in report.owners)
    toc = "".join(f'<li><a href="#{esc(e.anchor)}">{esc(e.name)}</a></li>' for e in report.events)
    events = "\n".join(_event(e) for e in report.events)
    # JS and CSS go in as substitution values, so a '$' inside them is never read as a placeholder
    return Template(_template("page.html")).substitute(
        title=esc(title),
        summary=esc(summary),
        owner_options=owner_options,
        toc=toc,
        events=events,
        css=_template("report.css"),
        js=_template("report.js").replace("</", "<\\/"),
    )


def _search_text(e: EventEntry) -> str:
    words = [e.name, e.folder, e.description, *e.owners, *e.metadata.values()]
    for p in e.properties:
        words += [p.name, p.description, *p.enum]
    return " ".join(" ".join(words).lower().split())


def _event(e: EventEntry) -> str:
    parts = [
        (
            f'<section class="event" id="{esc(e.anchor)}" data-name="{esc(e.name)}" '
            f'data-owners="{esc(json.dumps(e.owners))}" data-search="{esc(_search_text(e))}">'
        ),
        f"<h2>{esc(e.name)}</h2>",
        f'<p class="description">{esc(e.description) if e.description else "<em>No description.</em>"}</p>',
        '<div class="facts">',
        f'<span class="tag">Folder: {esc(e.folder) or "-"}</span>',
        f'<span class="tag">Latest version: {esc(e.latest)}</span>',
        *[f'<span class="tag owner">Owner: {esc(o)}</span>' for o in e.owners],
        "</div>",
    ]
    if e.metadata:
        rows = "".join(f"<tr><th scope=row>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in e.metadata.items())
        parts.append(f'<div class="scroll"><table class="metadata"><tbody>{rows}</tbody></table></div>')
    parts.append(f"<h3>Properties (version {esc(e.latest)})</h3>")
    parts.append(_properties(e) if e.properties else "<p><em>No properties.</em></p>")
    parts.append("<h3>Versions</h3>")
    parts.append(_versions(e))
    parts.append("</section>")
    return "\n".join(parts)


def _properties(e: EventEntry) -> str:
    head = "<tr><th>Property</th><th>Type</th><th>Required</th><th>Description</th><th>Allowed values</th></tr>"
    rows = []
    for p in e.properties:
        values = "".join(f"<code>{esc(v)}</code>" for v in p.enum)
        rows.append(
            f'<tr class="property"><td data-label="Property" class="nested" style="--depth:{p.depth}">'
            f"<code>{esc(p.name)}</code></td>"
            f'<td data-label="Type">{esc(p.type)}</td>'
            f'<td data-label="Required">{"yes" if p.required else "no"}</td>'
            f'<td data-label="Description">{esc(p.description)}</td>'
            f'<td data-label="Allowed values" class="values">{values}</td></tr>'
        )
    return f'<div class="scroll"><table class="props"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def _versions(e: EventEntry) -> str:
    items = []
    for v in e.versions:
        head = f"<strong>{esc(v.version)}</strong> <code>{esc(v.schema_id)}</code>"
        if v.change is None:
            items.append(f"<li>{head}: first version</li>")
            continue
        css = ' class="breaking"' if v.change.bump == "major" else ""
        lines = "".join(
            f'<li{" class=breaking" if c.breaking else ""}>{"breaking: " if c.breaking else ""}{esc(c.message)}</li>'
            for c in v.change.lines
        ) or "<li>no difference in the schema</li>"
        items.append(
            f"<li>{head}: <span{css}>{esc(BUMP_WORDS.get(v.change.bump, v.change.bump))}</span> since "
            f'{esc(v.change.previous)}<ul class="changes">{lines}</ul></li>'
        )
    return f'<ul class="versions">{"".join(items)}</ul>'
