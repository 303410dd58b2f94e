"""Markdown: a scope report to paste into an incident ticket, or a check summary for a PR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from scoper.report.base import RenderOptions, Result, Subject, scope_only
from scoper.report.check_markdown import render_check_markdown
from scoper.report.serialize import coverage_line, scope_dict
from scoper.scope.check import CheckResult
from scoper.scope.result import ScopeResult


@dataclass(frozen=True, slots=True)
class MarkdownRenderer:
    """Headings, a summary line and one table per entity with its evidence."""

    name: str = "markdown"
    suffix: str = ".md"
    media_type: str = "text/markdown"
    subjects: frozenset[Subject] = frozenset({Subject.SCOPE, Subject.CHECK})
    summary: str = "Markdown: an incident ticket (scope) or a PR comment (check)"

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        if isinstance(result, CheckResult):
            out.write(render_check_markdown(result, options.fail_on))
        else:
            out.write(render_markdown(scope_only(self.name, result), options.cleared))


def _md_cell(value: Any) -> str:
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


def render_markdown(result: ScopeResult, list_cleared: bool = False) -> str:
    """The scope report as one Markdown document (negative evidence counted per reason, or
    listed with ``list_cleared``)."""
    data = scope_dict(result, list_cleared)
    adv, summary = data["advisory"], data["summary"]
    lines = [f"# Exposure report: {adv['id']}", ""]
    if adv["aliases"]:
        lines.append(f"Aliases: {', '.join(adv['aliases'])}")
    for window in adv["windows"]:
        lines.append(f"Live window: {window['start']} to {window['end']}")
    if data["as_of"]:
        lines.append(f"As of: {data['as_of']} (only the advisory and evidence known then)")
    counts = summary["by_confidence"]
    lines += [
        "",
        f"**{summary['sessions']} sessions, {summary['hosts']} hosts, "
        f"{summary['credentials']} credentials exposed** (confirmed {counts['confirmed']}, "
        f"likely {counts['likely']}, possible {counts['possible']}).",
        "",
    ]
    if result.coverage is not None:
        lines += [_md_cell(coverage_line(result.coverage)), ""]
    tables = {
        "Environments": (
            "environments",
            [
                "environment",
                "host",
                "image_digest",
                "package",
                "version",
                "confidence",
                "from",
                "until",
                "ended_by",
            ],
        ),
        "Sessions": ("sessions", ["session_id", "host", "confidence", "first_exposed"]),
        "Hosts": ("hosts", ["host", "confidence", "first_exposed", "sessions"]),
        "Credentials (rotate these)": (
            "credentials",
            ["name", "kind", "fingerprint", "confidence", "first_exposed", "sessions"],
        ),
    }
    for title, (key, cols) in tables.items():
        lines += [f"## {title}", ""]
        rows = data[key]
        if not rows:
            lines += ["None.", ""]
            continue
        lines += ["| " + " | ".join(cols) + " | evidence |", "|" + "---|" * (len(cols) + 1)]
        for row in rows:
            cells = [_md_value(row[c]) for c in cols]
            proof = "<br>".join(
                _md_cell(f"{e['file']}:{e['line'] or ''} {e['fact']}") for e in row["evidence"]
            )
            lines.append("| " + " | ".join(cells) + f" | {proof} |")
        lines.append("")
    lines += _md_uses(data) + _md_cleared(data) + [f"> warning: {w}" for w in data["warnings"]]
    return "\n".join(lines).rstrip() + "\n"


def _md_value(value: Any) -> str:
    """A cell: a list joined, an evidence object as ``file:line fact``."""
    if isinstance(value, list):
        value = ";".join(value)
    elif isinstance(value, dict):
        value = f"{value['file']}:{value['line'] or ''} {value['fact']}"
    return _md_cell(value)


def _md_uses(data: dict[str, Any]) -> list[str]:
    lines = []
    for cred in data["credentials"]:
        for use in cred["used_after_exposure"]:
            flag = " **new source IP**" if use["new_source_ip"] else ""
            lines.append(
                f"- {cred['name']} used {use['ts']}: {use['action']} from {use['source_ip']}{flag}"
            )
    return ["## Credential use after exposure", "", *lines, ""] if lines else []


def _md_cleared(data: dict[str, Any]) -> list[str]:
    summary = data["cleared_summary"]
    if not summary["listed"]:
        counts = [f"- {c['count']} {c['entity']}: {c['reason']}" for c in summary["by_reason"]]
        more = "(counts per reason; `--cleared` lists every row)"
        return ["## Not exposed (negative evidence)", "", *counts, "", more, ""] if counts else []
    rows = [
        f"- {c['entity']} `{c['subject']}`: {c['evidence'][0]['fact']} "
        f"({c['evidence'][0]['file']}:{c['evidence'][0]['line'] or ''})"
        for c in data["cleared"]
    ]
    return ["## Not exposed (negative evidence)", "", *rows, ""] if rows else []
