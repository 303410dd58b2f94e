"""The gate's decision after matching: ignore entries applied, and whether the build fails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scoper.feeds.model import Advisory
from scoper.scope import check_ignore
from scoper.scope.check import CheckResult
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
    found = check_ignore.find(paths, ignore_file)
    if found is None:
        return GateOutcome(result, (), False)
    entries = check_ignore.load(found)
    out = check_ignore.apply(result, entries, advisories, settings.clock().date())
    hid = [f"ignored {f.advisory} for {f.package} {f.version} ({f.file})" for f in out.ignored]
    return GateOutcome(out.result, (*out.messages(), *hid), bool(out.expired))
