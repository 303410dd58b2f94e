"""The rich console table: the default report on a terminal, for scope and check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.table import Table

from scoper.report.base import RenderOptions, Result, Subject
from scoper.report.serialize import coverage_line
from scoper.scope.check import CheckResult
from scoper.scope.confidence import Confidence
from scoper.scope.result import ScopeResult
from scoper.times import rfc3339

STYLE: dict[str, str] = {
    Confidence.CONFIRMED.label: "bold red",
    Confidence.LIKELY.label: "yellow",
    Confidence.POSSIBLE.label: "cyan",
}


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
            _scope(console, result)
        else:
            _check(console, result, options.fail_on)


def _conf(value: str) -> str:
    return f"[{STYLE.get(value, '')}]{value}[/]"


def _scope(console: Console, result: ScopeResult) -> None:
    adv = result.advisory
    console.print(f"[bold]{adv.id}[/] {', '.join(adv.aliases)}")
    for start, end in adv.windows:
        console.print(f"live window {rfc3339(start)} .. {rfc3339(end)}")
    if result.as_of is not None:
        console.print(f"as of {rfc3339(result.as_of)}: only the advisory and evidence known then")
    envs = Table(title="Environments with a bad version")
    for col in (
        "host",
        "environment / image",
        "package",
        "confidence",
        "from",
        "until",
        "ended by",
    ):
        envs.add_column(col)
    for e in result.environments:
        envs.add_row(
            e.host or "",
            e.image_digest or e.environment or "",
            f"{e.package} {e.version}",
            _conf(e.confidence),
            rfc3339(e.start) or "",
            rfc3339(e.until) or "",
            e.ended_by.fact if e.ended_by else "",
        )
    sessions = Table(title="Exposed sessions")
    for col in ("session", "host", "confidence", "first exposed", "why"):
        sessions.add_column(col)
    for s in result.sessions:
        why = s.evidence[-1] if s.evidence else None
        sessions.add_row(
            s.session_id,
            s.host or "",
            _conf(s.confidence),
            rfc3339(s.first_exposed) or "",
            f"{why.file}:{why.line or ''} {why.fact}" if why else "",
        )
    creds = Table(title="Exposed credentials (rotate)")
    for col in ("name", "kind", "identity", "confidence", "first exposed", "used after"):
        creds.add_column(col)
    for c in result.credentials:
        used = ", ".join(
            f"{u.action} from {u.source_ip}"
            + (" NEW IP" if u.new_source_ip else "")
            + (" INDICATOR" if u.indicator else "")
            for u in c.used_after_exposure
        )
        creds.add_row(
            c.name,
            c.kind,
            c.identity,
            _conf(c.confidence),
            rfc3339(c.first_exposed) or "",
            used,
        )
    for table in (envs, sessions, creds):
        console.print(table)
    counts = result.by_confidence()
    console.print(
        f"{len(result.sessions)} sessions, {len(result.hosts)} hosts, "
        f"{len(result.credentials)} credentials exposed "
        f"(confirmed {counts['confirmed']}, likely {counts['likely']}, "
        f"possible {counts['possible']})"
    )
    _footer(console, coverage_line(result.coverage), result.warnings)


def _check(console: Console, result: CheckResult, threshold: str) -> None:
    failing = set(result.failing(threshold))
    table = Table(title=f"scoper check against {len(result.advisories)} advisories")
    for col in ("file:line", "package", "advisory", "confidence", "fails", "why"):
        table.add_column(col)
    for f in result.findings:
        table.add_row(
            f"{f.file}:{f.line or ''}",
            f"{f.package} {f.version}",
            f.advisory,
            _conf(f.confidence),
            "yes" if f in failing else "no",
            f.fact,
        )
    if result.findings:
        console.print(table)
    console.print(
        f"{len(failing)} failing finding(s); {len(result.findings) - len(failing)} "
        f"below the --fail-on {threshold} threshold"
    )
    _footer(console, coverage_line(result.coverage), result.warnings)


def _footer(console: Console, coverage: str, warnings: tuple[str, ...]) -> None:
    if coverage:
        console.print(coverage, markup=False)
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {warning}")
