"""HTML: one self-contained incident report (inline CSS and SVG, no script, no network)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, TextIO

from scoper.report import html_tables as t
from scoper.report.base import RenderOptions, Result, Subject, scope_only
from scoper.report.html_style import CSS
from scoper.report.html_timeline import timeline_svg
from scoper.report.serialize import coverage_line, scope_dict
from scoper.scope.result import ScopeResult

# Nothing may load: no script, no remote style, font or image (defence in depth for escaping).
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
LEGEND = (
    ("window", "live window"),
    ("install", "bad version installed"),
    ("session", "session exposed (from its first exposure on)"),
    ("first-exposed", "credential first exposed"),
    ("use", "credential used after exposure"),
)
COLOURS = {
    "window": "#b00020",
    "install": "#a35a00",
    "session": "#00638a",
    "first-exposed": "#6a1b9a",
    "use": "#b00020",
}


@dataclass(frozen=True, slots=True)
class HtmlRenderer:
    """A printable, offline HTML page for an incident channel or a ticket attachment."""

    name: str = "html"
    suffix: str = ".html"
    media_type: str = "text/html"
    subjects: frozenset[Subject] = frozenset({Subject.SCOPE})
    summary: str = "a self-contained HTML incident report with a timeline (print or attach)"

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        out.write(render_html(scope_only(self.name, result)))


def _header(data: dict[str, Any], coverage: str) -> str:
    adv, summary = data["advisory"], data["summary"]
    counts = (
        ("environments", len(data["environments"])),
        ("sessions", summary["sessions"]),
        ("hosts", summary["hosts"]),
        ("credentials", summary["credentials"]),
        ("cleared", len(data["cleared"])),
    )
    windows = "; ".join(f"{w['start']} to {w['end']}" for w in adv["windows"]) or "none recorded"
    parts = [
        f"<h1>Exposure report: {escape(adv['id'])}</h1>",
        f'<p class="meta">Aliases: {t.cell(adv["aliases"]) or "none"}</p>',
        f'<p class="meta">Live window (UTC): {escape(windows)}</p>',
        '<p class="counts">'
        + "".join(f'<span id="count-{k}"><strong>{n}</strong> {k}</span>' for k, n in counts)
        + "</p>",
    ]
    if adv["withdrawn"]:
        parts.append(f'<p class="warning">Advisory withdrawn {escape(adv["withdrawn"])}</p>')
    if coverage:
        parts.append(f'<p class="meta">{escape(coverage)}</p>')
    parts += [f'<p class="warning">warning: {escape(w)}</p>' for w in data["warnings"]]
    return "".join(parts)


def _legend() -> str:
    items = "".join(
        f'<span><i style="background:{COLOURS[cls]}"></i>{escape(text)}</span>'
        for cls, text in LEGEND
    )
    return f'<p class="legend">{items}</p>'


def _body(result: ScopeResult, data: dict[str, Any]) -> list[str]:
    return [
        _header(data, coverage_line(result.coverage)),
        '<section id="timeline"><h2>Timeline (UTC)</h2>',
        timeline_svg(result),
        _legend(),
        "</section>",
        t.rotation(data["credentials"]),
        t.table(
            "sessions",
            "Exposed sessions",
            data["sessions"],
            (("session", "session_id"), ("host", "host"), ("first exposed", "first_exposed")),
            "session_id",
        ),
        t.table(
            "hosts",
            "Exposed hosts",
            data["hosts"],
            (("host", "host"), ("first exposed", "first_exposed"), ("sessions", "sessions")),
            "host",
        ),
        t.table(
            "environments",
            "Environments with a bad version",
            data["environments"],
            (
                ("environment", "environment"),
                ("host", "host"),
                ("image", "image_digest"),
                ("package", "package"),
                ("version", "version"),
                ("from", "from"),
                ("until", "until"),
            ),
            "environment",
        ),
        t.cleared(data["cleared"]),
    ]


def render_html(result: ScopeResult) -> str:
    """The scope report as one HTML document (deterministic for a given result)."""
    data = scope_dict(result)
    title = escape(f"Exposure report: {data['advisory']['id']}")
    head = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body>"
    )
    return head + "\n".join(_body(result, data)) + "\n</body></html>\n"
