"""The CI gate: which packages in the given files are known-bad, and how sure we are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from scoper.feeds.model import Advisory
from scoper.scope.chain import scope
from scoper.scope.confidence import Confidence, ConfidenceName


@dataclass(frozen=True, slots=True, order=True)
class CheckFinding:
    """One bad (or possibly bad) package entry in one file."""

    file: str
    line: int | None
    package: str
    version: str
    advisory: str
    confidence: ConfidenceName
    fact: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[CheckFinding, ...]
    advisories: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def failing(self, threshold: str = Confidence.LIKELY.label) -> tuple[CheckFinding, ...]:
        """Findings at or above ``threshold`` confidence (these fail the build)."""
        bar = Confidence.named(threshold)
        return tuple(f for f in self.findings if Confidence.named(f.confidence) >= bar)


def check_store(con: duckdb.DuckDBPyConnection, advisories: Sequence[Advisory]) -> CheckResult:
    """Match every package in the store against ``advisories``."""
    found: set[CheckFinding] = set()
    warnings: list[str] = []
    for adv in advisories:
        result = scope(con, adv)
        warnings.extend(result.warnings)
        for env in result.environments:
            for ev in env.evidence:
                found.add(
                    CheckFinding(
                        ev.file, ev.line, env.package, env.version, adv.id, env.confidence, ev.fact
                    )
                )
    return CheckResult(
        tuple(sorted(found)), tuple(a.id for a in advisories), tuple(sorted(set(warnings)))
    )
