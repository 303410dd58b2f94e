"""The rich console table: the default report on a terminal, for scope and check.

Built to fit 80 columns: related fields are stacked in one cell (a session over its host,
confidence over time) and every column folds long values onto more lines, so session ids,
hosts, credential names and ``file:line`` are never cut with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scoper.report.base import RenderOptions, Result, Subject
from scoper.report.check_rows import refused_ages
from scoper.report.serialize import coverage_line
from scoper.scope.check import CheckResult
from scoper.scope.confidence import NAMES, Confidence
from scoper.scope.result import Evidence, ScopeResult
from scoper.times import rfc3339

STYLE: dict[str, str] = {
    Confidence.CONFIRMED.label: "bold red",
    Confidence.LIKELY.label: "yellow",
    Confidence.POSSIBLE.label: "cyan",
}
TIME_WIDTH = 20  # 2026-03-24T10:58:40Z


@dataclass(frozen=True, slots=True)
class TableRenderer:
    """Rich tables with coloured confidence (plain text when not on a terminal)."""

    name: str = "table"
    suffix: str = ".txt"
    media_type: str = "text/plain"
    subjects: frozenset[Subject] = frozenset({Subject.SCOPE, Subject.CHECK})
    summary: str = "rich tables for a terminal (default there)"

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        console = Console(file=out, highlight=False, soft_wrap=True)
        if isinstance(result, ScopeResult):
            print_scope(console, result)
        else:
            print_check(console, result, options.fail_on)


def _conf(value: str) -> str:
    return f"[{STYLE.get(value, '')}]{value}[/]"


def _lines(*parts: str | None) -> str:
    """Escaped non-empty parts, one per line."""
    return "\n".join(escape(p) for p in parts if p)


def _stamp(confidence: str, *times: str | None) -> str:
    """A confidence over the times that go with it."""
    return "\n".join([_conf(confidence), *(escape(t) for t in times if t)])


def _why(ev: Evidence | None) -> str:
    return _lines(f"{ev.file}:{ev.line or ''}", ev.fact) if ev else ""


def _table(title: str, columns: Sequence[tuple[str, int | None]]) -> Table:
    """A table whose columns fold (never ellipsis); ``(heading, width)`` per column: a
    fixed width for confidence-and-time cells, None for columns that share the rest."""
    table = Table(title=title, title_justify="left", expand=False, show_lines=True)
    for heading, width in columns:
        table.add_column(heading, overflow="fold", min_width=width, max_width=width)
    return table


def _environments(result: ScopeResult) -> Table:
    table = _table(
        "Environments with a bad version",
        (
            ("host / environment / image", None),
            ("package", None),
            ("confidence / from / until", TIME_WIDTH + 6),
            ("ended by", None),
        ),
    )
    for e in result.environments:
        table.add_row(
            _lines(e.host, e.image_digest or e.environment),
            escape(f"{e.package} {e.version}"),
            _stamp(
                e.confidence, rfc3339(e.start), rfc3339(e.until) and f"until {rfc3339(e.until)}"
            ),
            _why(e.ended_by),
        )
    return table


def _sessions(result: ScopeResult) -> Table:
    table = _table(
        "Exposed sessions",
        (("session / host", None), ("confidence / since", TIME_WIDTH), ("why", None)),
    )
    for s in result.sessions:
        table.add_row(
            _lines(s.session_id, s.host),
            _stamp(s.confidence, rfc3339(s.first_exposed)),
            _why(s.evidence[-1] if s.evidence else None),
        )
    return table


def _hosts(result: ScopeResult) -> Table:
    table = _table(
        "Exposed hosts",
        (("host", None), ("confidence / since", TIME_WIDTH), ("sessions", None)),
    )
    for h in result.hosts:
        table.add_row(
            escape(h.host), _stamp(h.confidence, rfc3339(h.first_exposed)), _lines(*h.sessions)
        )
    return table


def _credentials(result: ScopeResult) -> Table:
    table = _table(
        "Exposed credentials (rotate)",
        (
            ("name / kind / identity", None),
            ("confidence / since", TIME_WIDTH),
            ("used after exposure", None),
        ),
    )
    for c in result.credentials:
        used = [
            f"{rfc3339(u.ts)} {u.action or 'use'} from {u.source_ip or '?'}"
            + (" NEW IP" if u.new_source_ip else "")
            + (" INDICATOR" if u.indicator else "")
            + f" ({u.evidence.file}:{u.evidence.line or ''})"
            for u in c.used_after_exposure
        ]
        table.add_row(
            _lines(c.name, c.kind, c.identity),
            _stamp(c.confidence, rfc3339(c.first_exposed)),
            _lines(*used),
        )
    return table


def _counted(name: str, confidences: Iterable[str]) -> str:
    """``6 environments (confirmed 3, likely 1, possible 2)``."""
    values = list(confidences)
    split = ", ".join(f"{n} {values.count(n)}" for n in NAMES if n in values)
    return f"{len(values)} {name}" + (f" ({split})" if split else "")


def headline(result: ScopeResult) -> str:
    """What is exposed, each kind counted on its own line with its confidences."""
    counts = [
        _counted("environments", (e.confidence for e in result.environments)),
        _counted("sessions", (s.confidence for s in result.sessions)),
        _counted("hosts", (h.confidence for h in result.hosts)),
        _counted("credentials", (c.confidence for c in result.credentials)),
    ]
    return "exposed:\n  " + "\n  ".join(counts) + f"\ncleared (not exposed): {len(result.cleared)}"


def print_scope(console: Console, result: ScopeResult) -> None:
    """The scope report: header, one table per exposed kind, the counts, coverage."""
    adv = result.advisory
    console.print(f"[bold]{escape(adv.id)}[/] {escape(', '.join(adv.aliases))}")
    for start, end in adv.windows:
        console.print(f"live window {rfc3339(start)} .. {rfc3339(end)}")
    if result.as_of is not None:
        console.print(f"as of {rfc3339(result.as_of)}: only the advisory and evidence known then")
    for table in (_environments(result), _sessions(result), _hosts(result), _credentials(result)):
        if table.row_count:
            console.print(table)
        else:
            console.print(f"{table.title}: none")
    console.print(headline(result), markup=False)
    _footer(console, coverage_line(result.coverage), result.warnings)


def print_check(console: Console, result: CheckResult, threshold: str) -> None:
    """The check report: one row per finding with its file:line and package in full."""
    failing = set(result.failing(threshold))
    table = _table(
        f"scoper check against {len(result.advisories)} advisories",
        (("file:line / package", None), ("advisory / confidence", None), ("why", None)),
    )
    for f in result.findings:
        table.add_row(
            _lines(f"{f.file}:{f.line or ''}", f"{f.package} {f.version}"),
            "\n".join(
                [escape(f.advisory), _conf(f.confidence), "FAILS" if f in failing else "passes"]
            ),
            escape(f.fact),
        )
    if result.findings:
        console.print(table)
    console.print(
        f"{len(failing)} failing finding(s); {len(result.findings) - len(failing)} "
        f"below the --fail-on {threshold} threshold"
    )
    _print_policy(console, result)
    _footer(console, coverage_line(result.coverage), result.warnings)


def _print_policy(console: Console, result: CheckResult) -> None:
    """Gaps (with the --allow key), cool-down refusals and ignored findings, one row each."""
    table = _table("gate policy", (("file:line / subject", None), ("rule", None), ("why", None)))
    for g in result.gaps:
        state = "allowed" if g.allowed else "FAILS"
        rule = f"gap {g.kind.value}\n{state} (--allow {g.kind.value})"
        table.add_row(_lines(f"{g.file}:{g.line or ''}", g.subject), escape(rule), escape(g.detail))
    for a in refused_ages(result):
        rule = f"min-age {result.min_age}\n{a.status.value} FAILS"
        where = _lines(f"{a.file}:{a.line or ''}", f"{a.package} {a.version}")
        table.add_row(where, escape(rule), escape(a.detail))
    for i in result.ignored:
        until = f" until {i.expires}" if i.expires else ""
        where = _lines(i.file, f"{i.package} {i.version}")
        table.add_row(where, escape(f"ignored {i.advisory}{until}"), escape(i.reason))
    if table.row_count:
        console.print(table)
    for message in result.expired:
        console.print(f"[red]error:[/] {escape(message)}")


def _footer(console: Console, coverage: str, warnings: tuple[str, ...]) -> None:
    if coverage:
        console.print(coverage, markup=False)
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
