"""Rich tables for a terminal: scope findings, check findings, ingest summaries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from scoper.ingest import FileResult
from scoper.report.serialize import rfc3339
from scoper.scope.check import CheckResult
from scoper.scope.result import ScopeResult

STYLE = {"confirmed": "bold red", "likely": "yellow", "possible": "cyan"}


def _conf(value: str) -> str:
    return f"[{STYLE.get(value, '')}]{value}[/]"


def print_scope(console: Console, result: ScopeResult) -> None:
    adv = result.advisory
    console.print(f"[bold]{adv.id}[/] {', '.join(adv.aliases)}")
    for start, end in adv.windows:
        console.print(f"live window {rfc3339(start)} .. {rfc3339(end)}")
    envs = Table(title="Environments with a bad version")
    for col in ("host", "environment / image", "package", "confidence", "from", "until"):
        envs.add_column(col)
    for e in result.environments:
        envs.add_row(
            e.host or "",
            e.image_digest or e.environment or "",
            f"{e.package} {e.version}",
            _conf(e.confidence),
            rfc3339(e.start) or "",
            rfc3339(e.until) or "",
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
    for col in ("name", "kind", "fingerprint", "confidence", "first exposed", "used after"):
        creds.add_column(col)
    for c in result.credentials:
        used = ", ".join(
            f"{u.action} from {u.source_ip}" + (" NEW IP" if u.new_source_ip else "")
            for u in c.used_after_exposure
        )
        creds.add_row(
            c.name,
            c.kind,
            c.fingerprint or "",
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
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


def print_check(console: Console, result: CheckResult, threshold: str) -> None:
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
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


def print_ingest(console: Console, results: Sequence[FileResult]) -> None:
    table = Table(title="Ingest summary")
    for col in ("format", "files", "records", "skipped", "unchanged", "errors"):
        table.add_column(col, justify="right" if col != "format" else "left")
    by_format: dict[str, Counter[str]] = {}
    for r in results:
        label = r.format or (
            "(ignored: documentation)" if r.status == "ignored" else "(unrecognised)"
        )
        c = by_format.setdefault(label, Counter())
        c["files"] += 1
        c["records"] += r.records
        c["skipped"] += r.skipped
        c["unchanged"] += r.status == "unchanged"
        c["errors"] += r.status in ("error", "unknown")
    for name, c in sorted(by_format.items()):
        table.add_row(
            name, *(str(c[k]) for k in ("files", "records", "skipped", "unchanged", "errors"))
        )
    console.print(table)
    for r in results:
        if r.error:
            console.print(f"[red]error:[/] {r.error}")
        for reason in r.skipped_reasons[:10]:
            console.print(f"[yellow]skipped:[/] {reason}")
        if len(r.skipped_reasons) > 10:
            console.print(f"[yellow]skipped:[/] ... {r.skipped - 10} more in {r.path}")
