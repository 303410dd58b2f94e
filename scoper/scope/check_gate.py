"""The gate's decision after matching: ignore entries applied, and whether the build fails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scoper.errors import ExitCode
from scoper.feeds.model import Advisory
from scoper.scope import check_ignore
from scoper.scope.check import CheckResult
from scoper.scope.check_policy import Allow
from scoper.settings import Settings


@dataclass(frozen=True, slots=True)
class GateOutcome:
    """The result to render, what to say about ignore entries, and whether they fail."""

    result: CheckResult
    messages: tuple[str, ...]
    ignore_fails: bool  # an expired ignore entry fails the build


def gate(
    result: CheckResult,
    paths: Sequence[Path],
    advisories: Sequence[Advisory],
    settings: Settings,
    ignore_file: Path | None = None,
) -> GateOutcome:
    """Apply the ignore file found for ``paths`` (or ``ignore_file``) at the settings' clock."""
    found = check_ignore.find_all(paths, ignore_file)
    if not found:
        return GateOutcome(result, (), False)
    entries = tuple(e for path in found for e in check_ignore.load(path))
    out = check_ignore.apply(result, entries, advisories, settings.clock().date())
    hid = [
        f"ignored {f.advisory} for {f.package} {f.version} ({f.file}): {f.reason}"
        + (f", until {f.expires}" if f.expires else "")
        for f in out.ignored
    ]
    return GateOutcome(out.result, (*out.messages(), *hid), bool(out.expired))


def exit_code(result: CheckResult, threshold: str, input_errors: Sequence[str]) -> ExitCode:
    """The gate's exit code (docs/exit-codes.md): 3 an input not read and not allowed; 1 a
    failing finding, expired ignore entry, unpinned range or too young version; 4 an
    ecosystem without advisory data or an unknowable age; else 0."""
    allowed = {g.detail for g in result.gaps if g.kind is Allow.UNREADABLE and g.allowed}
    if any(e not in allowed for e in input_errors):
        return ExitCode.INPUT
    gaps = {g.kind for g in result.gaps if g.fails}
    if (
        result.failing(threshold)
        or result.expired
        or Allow.UNPINNED in gaps
        or any(a.fails for a in result.ages)
    ):
        return ExitCode.FINDINGS
    if Allow.UNKNOWN_ECOSYSTEM in gaps or any(a.unknown for a in result.ages):
        return ExitCode.ADVISORY_DATA
    return ExitCode.OK
