"""Markdown for ``scoper check``: a PR comment or a GitHub job summary.

``$GITHUB_STEP_SUMMARY`` names a file GitHub renders as the job's summary; steps append
markdown to it (GitHub's docs: "Adding a job summary"), so it is opened in append mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scoper.report.check_rows import refused_ages
from scoper.scope.check import CheckResult


def _cell(value: object) -> str:
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")


def _where(file: str, line: int | None) -> str:
    return f"`{_cell(file)}:{line}`" if line else f"`{_cell(file)}`"


def _table(head: Sequence[str], body: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in body]
    return [*lines, ""]


def render_check_markdown(result: CheckResult, threshold: str) -> str:
    """The check as one markdown document: verdict, then one table per kind of row."""
    failing = set(result.failing(threshold))
    verdict = "passed" if result.passes(threshold) else "FAILED"
    lines = [
        f"## scoper check: {verdict}",
        "",
        f"{len(result.advisories)} advisories, --fail-on {threshold}"
        + (f", --min-age {result.min_age}" if result.min_age else "")
        + f": {len(failing)} failing finding(s), "
        f"{sum(g.fails for g in result.gaps)} coverage gap(s) not allowed, "
        f"{len(refused_ages(result))} version(s) refused by the cool-down.",
        "",
    ]
    rows: list[tuple[object, ...]]
    if result.findings:
        lines += ["### Findings", ""]
        rows = [
            (
                _where(f.file, f.line),
                f"{f.package} {f.version}",
                f.advisory,
                f.confidence,
                "**fails**" if f in failing else "passes",
                f.fact,
            )
            for f in result.findings
        ]
        lines += _table(("where", "package", "advisory", "confidence", "gate", "why"), rows)
    if result.gaps:
        lines += ["### Coverage gaps", ""]
        rows = [
            (
                _where(g.file, g.line),
                g.subject,
                f"`--allow {g.kind.value}`",
                "allowed" if g.allowed else "**fails**",
                g.detail,
            )
            for g in result.gaps
        ]
        lines += _table(("where", "what", "waived by", "gate", "why"), rows)
    refused = refused_ages(result)
    if refused:
        lines += [f"### Cool-down (--min-age {result.min_age})", ""]
        aged = [
            (_where(a.file, a.line), f"{a.package} {a.version}", a.status.value, a.detail)
            for a in refused
        ]
        lines += _table(("where", "package", "status", "why"), aged)
    lines += _notes(result)
    return "\n".join(lines).rstrip("\n") + "\n"


def _notes(result: CheckResult) -> list[str]:
    lines: list[str] = []
    if result.ignored:
        lines += ["### Ignored", ""]
        rows = [
            (i.advisory, f"{i.package} {i.version}", _where(i.file, None), i.reason, i.expires)
            for i in result.ignored
        ]
        lines += _table(("advisory", "package", "file", "reason", "expires"), rows)
    notes = [f"- **error:** {m}" for m in result.expired]
    notes += [f"- note: {m}" for m in result.unused]
    notes += [f"- warning: {_cell(w)}" for w in result.warnings]
    if result.withdrawn:
        notes.append(f"- withdrawn (never fail): {', '.join(result.withdrawn)}")
    return lines + notes + ([""] if notes else [])


def append_step_summary(result: CheckResult, threshold: str, target: str | Path) -> None:
    """Append the markdown summary to the job summary file (``$GITHUB_STEP_SUMMARY``)."""
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(render_check_markdown(result, threshold) + "\n")
