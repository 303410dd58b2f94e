"""The CI gate: which packages in the given files are known-bad, and how sure we are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb

from scoper.feeds.model import Advisory
from scoper.scope import actions, coverage
from scoper.scope.chain import run
from scoper.scope.check_age import AgeCheck
from scoper.scope.check_gaps import Gap
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
class Ignored:
    """A finding (or a cool-down refusal) an ignore entry hid, with the entry's why and until."""

    entry: str  # "file: ignore[N]"
    advisory: str  # the advisory id, or "min-age"
    package: str
    version: str
    file: str
    reason: str
    expires: date | None


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[CheckFinding, ...]
    advisories: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    coverage: Coverage | None = None
    withdrawn: tuple[str, ...] = ()  # advisories withdrawn: their matches never fail
    malicious: tuple[str, ...] = ()  # malware advisories: their matches fail at any confidence
    gaps: tuple[Gap, ...] = ()  # what could not be judged; each fails unless --allow'ed
    ages: tuple[AgeCheck, ...] = ()  # --min-age: one per pinned version
    min_age: str | None = None  # "7d" when the cool-down ran
    ignored: tuple[Ignored, ...] = ()
    expired: tuple[str, ...] = ()  # expired ignore entries: they fail the build
    unused: tuple[str, ...] = ()  # ignore entries that hid nothing
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

    def passes(self, threshold: str = Confidence.LIKELY.label) -> bool:
        """No failing finding, expired ignore entry, unallowed gap, too young or unknown age."""
        return not (
            self.failing(threshold)
            or self.expired
            or any(g.fails for g in self.gaps)
            or any(a.fails or a.unknown for a in self.ages)
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
