"""The timeline picture of the HTML report: one inline SVG, laid out deterministically.

Lanes top to bottom: the advisory's live windows, environments (install to removal),
each exposed session (first exposure onwards) and each credential (first exposure as
a diamond, every use after exposure as a dot). Ticks are UTC with labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

from scoper.scope.result import ScopeResult

WIDTH = 960
LABEL = 250  # the lane-label column
RIGHT = 20
LANE = 22
TOP = 30
PLOT = WIDTH - LABEL - RIGHT
STEPS_MINUTES = (1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200)
MAX_TICKS = 9
MAX_LANES = 40  # per kind; the tables below the picture list every finding


@dataclass(frozen=True, slots=True)
class Span:
    """The time range drawn and how to place a time on the x axis."""

    start: datetime
    end: datetime

    def x(self, when: datetime) -> float:
        """The x coordinate of ``when``."""
        total = (self.end - self.start).total_seconds() or 1.0
        share = (utc(when) - self.start).total_seconds() / total
        return round(LABEL + share * PLOT, 1)


def utc(value: datetime) -> datetime:
    """``value`` as an aware UTC time (naive store times are UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _times(result: ScopeResult) -> list[datetime]:
    found: list[datetime | None] = [t for w in result.advisory.windows for t in w]
    found += [t for e in result.environments for t in (e.start, e.until)]
    found += [s.first_exposed for s in result.sessions]
    for c in result.credentials:
        found += [c.first_exposed, *(u.ts for u in c.used_after_exposure)]
    return [utc(t) for t in found if t is not None]


def span_of(result: ScopeResult) -> Span | None:
    """The drawn range: every time in the result, padded by a twentieth each side."""
    times = _times(result)
    if not times:
        return None
    low, high = min(times), max(times)
    pad = max((high - low) / 20, timedelta(minutes=5))
    return Span(low - pad, high + pad)


def _step(span: Span) -> timedelta:
    minutes = (span.end - span.start).total_seconds() / 60
    chosen = next((s for s in STEPS_MINUTES if minutes / s <= MAX_TICKS), STEPS_MINUTES[-1])
    return timedelta(minutes=chosen)


def ticks(span: Span) -> list[datetime]:
    """Round UTC times inside ``span``, at most :data:`MAX_TICKS` of them."""
    step = _step(span)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    first = epoch + step * -(-(span.start - epoch) // step)
    out: list[datetime] = []
    while first <= span.end:
        out.append(first)
        first += step
    return out


def _tick_label(when: datetime, first: bool) -> str:
    return when.strftime("%Y-%m-%d %H:%M" if first or when.hour == when.minute == 0 else "%H:%M")


def _axis(span: Span, height: int) -> list[str]:
    parts = []
    for n, tick in enumerate(ticks(span)):
        x = span.x(tick)
        label = escape(_tick_label(tick, n == 0))
        parts.append(
            f'<line class="tick" x1="{x}" y1="{TOP - 6}" x2="{x}" y2="{height - 4}"/>'
            f'<text class="tick-label" x="{x}" y="{TOP - 10}" text-anchor="middle">{label}</text>'
        )
    return parts


def _label(text: str, title: str) -> str:
    short = text if len(text) <= 36 else text[:17] + "..." + text[-16:]
    return (
        f'<text class="lane-label" x="{LABEL - 8}" y="15" text-anchor="end">'
        f"<title>{escape(title)}</title>{escape(short)}</text>"
    )


def _bar(span: Span, cls: str, start: datetime, end: datetime, title: str) -> str:
    x1, x2 = span.x(start), span.x(end)
    width = max(round(x2 - x1, 1), 2.0)
    return (
        f'<rect class="{cls}" x="{x1}" y="4" width="{width}" height="{LANE - 8}">'
        f"<title>{escape(title)}</title></rect>"
    )


def _mark(span: Span, cls: str, when: datetime, title: str) -> str:
    x, mid, tip = span.x(when), LANE / 2, f"<title>{escape(title)}</title>"
    if cls == "first-exposed":
        points = f"{x},{mid - 7} {x + 7},{mid} {x},{mid + 7} {x - 7},{mid}"
        return f'<polygon class="{cls}" points="{points}">{tip}</polygon>'
    return f'<circle class="{cls}" cx="{x}" cy="{mid}" r="5">{tip}</circle>'


def _when(value: datetime | None) -> str:
    return utc(value).strftime("%Y-%m-%d %H:%M:%S UTC") if value else "unknown"


Lane = tuple[str, str, list[str]]  # label, tooltip, shapes


def _window_lane(result: ScopeResult, span: Span) -> Lane:
    bars = [
        _bar(span, "window", s, e, f"live {_when(s)} to {_when(e)}")
        for s, e in result.advisory.windows
    ]
    return ("live window", f"{result.advisory.id} live window", bars)


def _install_lanes(result: ScopeResult, span: Span) -> list[Lane]:
    lanes = []
    for e in result.environments:
        if e.start is not None:
            name = e.host or e.image_digest or e.environment or "?"
            title = f"{e.package} {e.version} installed {_when(e.start)} until {_when(e.until)}"
            bar = _bar(span, "install", e.start, e.until or span.end, title)
            lanes.append((f"install {name}", title, [bar]))
    return lanes


def _session_lanes(result: ScopeResult, span: Span) -> list[Lane]:
    lanes = []
    for s in result.sessions:
        if s.first_exposed is not None:
            title = f"{s.session_id} exposed from {_when(s.first_exposed)} on ({s.confidence})"
            lanes.append(
                (s.session_id, title, [_bar(span, "session", s.first_exposed, span.end, title)])
            )
    return lanes


def _credential_lanes(result: ScopeResult, span: Span) -> list[Lane]:
    lanes = []
    for c in result.credentials:
        shapes = []
        if c.first_exposed is not None:
            tip = f"{c.name} first exposed {_when(c.first_exposed)}"
            shapes.append(_mark(span, "first-exposed", c.first_exposed, tip))
        for u in c.used_after_exposure:
            tip = f"{c.name} used {_when(u.ts)}: {u.action or 'use'} from {u.source_ip or '?'}"
            shapes.append(_mark(span, "use", u.ts, tip))
        if shapes:
            lanes.append((c.name, f"{c.name} ({c.kind})", shapes))
    return lanes


def _capped(lanes: list[Lane], kind: str) -> list[Lane]:
    """At most :data:`MAX_LANES` lanes, then one saying how many more are in the tables."""
    if len(lanes) <= MAX_LANES:
        return lanes
    more = len(lanes) - MAX_LANES
    return [
        *lanes[:MAX_LANES],
        (f"... {more} more {kind}", f"{more} more {kind}: see the tables", []),
    ]


def _lanes(result: ScopeResult, span: Span) -> list[Lane]:
    """Every lane, in drawing order (riskiest first within a kind, as the result orders)."""
    return [
        _window_lane(result, span),
        *_capped(_install_lanes(result, span), "installs"),
        *_capped(_session_lanes(result, span), "sessions"),
        *_capped(_credential_lanes(result, span), "credentials"),
    ]


def timeline_svg(result: ScopeResult) -> str:
    """The timeline as one ``<svg>`` element; a sentence when no finding has a time."""
    span = span_of(result)
    if span is None:
        return '<p class="none">No times to draw: no window, install, exposure or use is dated.</p>'
    lanes = _lanes(result, span)
    height = TOP + LANE * len(lanes) + 8
    body: list[str] = _axis(span, height)
    for n, (label, title, shapes) in enumerate(lanes):
        y = TOP + n * LANE
        body.append(f'<g class="lane" transform="translate(0,{y})">')
        body.append(f'<rect class="lane-bg" x="{LABEL}" y="0" width="{PLOT}" height="{LANE}"/>')
        body += [_label(label, title), *shapes, "</g>"]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
        f"<title>Timeline of {escape(result.advisory.id)} (UTC)</title>" + "".join(body) + "</svg>"
    )
