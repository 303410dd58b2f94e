"""The CI gate: which packages in the given files are known-bad, and how sure we are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from scoper.feeds.model import Advisory
from scoper.scope import actions, coverage
from scoper.scope.chain import run
from scoper.scope.check_policy import is_malicious
from scoper.scope.check_vulns_report import Vulnerability
from scoper.scope.confidence import Confidence, ConfidenceName
from scoper.scope.coverage import Coverage


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
    coverage: Coverage | None = None
    withdrawn: tuple[str, ...] = ()  # advisories withdrawn: their matches never fail
    malicious: tuple[str, ...] = ()  # malware advisories: their matches fail at any confidence
    vulns: tuple[Vulnerability, ...] = ()  # known vulnerabilities pip-audit added (--vulns)

    def failing(self, threshold: str = Confidence.LIKELY.label) -> tuple[CheckFinding, ...]:
        """Findings at or above ``threshold`` confidence, or of a malware advisory at any
        confidence, of advisories not withdrawn (these fail the build)."""
        bar = Confidence.named(threshold)
        return tuple(
            f
            for f in self.findings
            if f.advisory not in self.withdrawn
            and (f.advisory in self.malicious or Confidence.named(f.confidence) >= bar)
        )


def check_store(con: duckdb.DuckDBPyConnection, advisories: Sequence[Advisory]) -> CheckResult:
    """Match every package in the store against ``advisories``."""
    found: set[CheckFinding] = set()
    cover = coverage.for_check(coverage.measure(con), advisories)
    warnings: list[str] = [] if cover.covered else list(cover.reasons)
    for adv in advisories:
        result = run(con, adv)
        warnings.extend(result.warnings)
        for env in result.environments:
            for ev in env.evidence:
                found.add(
                    CheckFinding(
                        ev.file, ev.line, env.package, env.version, adv.id, env.confidence, ev.fact
                    )
                )
    warnings += actions.unpinned_warnings(con, advisories)
    return CheckResult(
        tuple(sorted(found)),
        tuple(a.id for a in advisories),
        tuple(sorted(set(warnings))),
        cover,
        tuple(sorted(a.id for a in advisories if a.withdrawn is not None)),
        tuple(sorted(a.id for a in advisories if is_malicious(a))),
    )
