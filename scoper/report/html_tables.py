"""The tables of the HTML report: rotation list, sessions, hosts, environments, cleared.

Every cell goes through :func:`html.escape`: evidence facts quote attacker-controlled logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

Row = dict[str, Any]


def cell(value: Any) -> str:
    """One value as escaped text; lists joined by commas, None as empty."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return escape("" if value is None else str(value))


def place(ev: Row) -> str:
    """``file:line`` of one evidence item, escaped."""
    return escape(f"{ev['file']}:{ev['line'] or ''}")


def evidence_list(items: Sequence[Row]) -> str:
    """An evidence cell: one ``file:line`` and fact per line."""
    lines = [
        f'<li><code class="where">{place(ev)}</code> '
        f'<span class="fact">{escape(ev["fact"])}</span></li>'
        for ev in items
    ]
    return f'<ul class="evidence">{"".join(lines)}</ul>'


def _conf(value: str) -> str:
    return f'<span class="conf conf-{escape(value)}">{escape(value)}</span>'


def table(
    section: str, title: str, rows: Sequence[Row], cols: Sequence[tuple[str, str]], key: str
) -> str:
    """A titled table: ``cols`` are (heading, row key); then confidence and evidence."""
    head = "".join(f"<th>{escape(h)}</th>" for h, _ in cols)
    parts = [f'<section id="{section}"><h2>{escape(title)} <small>({len(rows)})</small></h2>']
    if not rows:
        return "".join([*parts, '<p class="none">None.</p></section>'])
    parts.append(
        f"<table><thead><tr>{head}<th>confidence</th><th>evidence</th></tr></thead><tbody>"
    )
    for row in rows:
        cells = "".join(f"<td>{cell(row[k])}</td>" for _, k in cols)
        parts.append(
            f'<tr data-key="{cell(row[key])}">{cells}<td>{_conf(row["confidence"])}</td>'
            f"<td>{evidence_list(row['evidence'])}</td></tr>"
        )
    return "".join([*parts, "</tbody></table></section>"])


def _use(use: Row) -> str:
    marks = [
        m for m, on in (("new IP", use["new_source_ip"]), ("indicator", use["indicator"])) if on
    ]
    flag = f' <strong class="flag">{escape(", ".join(marks))}</strong>' if marks else ""
    text = f"{use['ts']}: {use['action'] or 'use'} from {use['source_ip'] or '?'}"
    return f'<li>{escape(text)}{flag} <code class="where">{place(use["evidence"][0])}</code></li>'


def rotation(creds: Sequence[Row]) -> str:
    """The rotation list (riskiest first, as report/rotation.py orders it) as a table."""
    parts = [
        f'<section id="rotation"><h2>Rotate these credentials <small>({len(creds)})</small></h2>'
    ]
    if not creds:
        return "".join([*parts, '<p class="none">No exposed credentials.</p></section>'])
    parts.append(
        "<table><thead><tr><th>#</th><th>credential</th><th>held by</th>"
        "<th>used after exposure</th><th>rotate</th><th>confidence</th><th>evidence</th>"
        "</tr></thead><tbody>"
    )
    for n, c in enumerate(creds, 1):
        uses = "".join(_use(u) for u in c["used_after_exposure"])
        parts.append(
            f'<tr data-key="{cell(c["name"])}"><td>{n}</td>'
            f"<td><strong>{cell(c['name'])}</strong><br><small>{cell(c['kind'])} "
            f"{cell(c['identity'])}</small><br>"
            f"<small>first exposed {cell(c['first_exposed'])}</small></td>"
            f"<td>{cell(c['sessions'] + c['hosts'])}</td>"
            f'<td><ul class="uses">{uses}</ul></td><td>{cell(c["rotate"])}</td>'
            f"<td>{_conf(c['confidence'])}</td><td>{evidence_list(c['evidence'])}</td></tr>"
        )
    return "".join([*parts, "</tbody></table></section>"])


def cleared(rows: Sequence[Row]) -> str:
    """Negative evidence: what met the package and was not exposed, and why."""
    parts = [f'<section id="cleared"><h2>Cleared (not exposed) <small>({len(rows)})</small></h2>']
    if not rows:
        return "".join([*parts, '<p class="none">None.</p></section>'])
    parts.append(
        "<table><thead><tr><th>entity</th><th>subject</th><th>package</th>"
        "<th>evidence</th></tr></thead><tbody>"
    )
    for c in rows:
        parts.append(
            f'<tr data-key="{cell(c["subject"])}"><td>{cell(c["entity"])}</td>'
            f"<td>{cell(c['subject'])}</td>"
            f"<td>{cell(c['package'])} {cell(c['version'])}</td>"
            f"<td>{evidence_list(c['evidence'])}</td></tr>"
        )
    return "".join([*parts, "</tbody></table></section>"])
