"""The answer of a scope run: findings with confidence and evidence (DESIGN §7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scoper.scope.confidence import NAMES, ConfidenceName
from scoper.scope.coverage import Coverage


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """One input line that proves one link of the chain."""

    file: str
    line: int | None
    fact: str


@dataclass(frozen=True, slots=True)
class EnvironmentFinding:
    environment: str | None
    host: str | None
    image_digest: str | None
    package: str
    version: str
    confidence: ConfidenceName
    start: datetime | None
    until: datetime | None
    evidence: tuple[Evidence, ...]
    ended_by: Evidence | None = None  # the event that ended the interval (until)


@dataclass(frozen=True, slots=True)
class SessionFinding:
    session_id: str
    host: str | None
    confidence: ConfidenceName
    first_exposed: datetime | None
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class HostFinding:
    host: str
    confidence: ConfidenceName
    first_exposed: datetime | None
    sessions: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class CredentialUseFinding:
    ts: datetime
    source_ip: str | None
    user_agent: str | None
    action: str | None
    principal: str | None
    outcome: str | None
    new_source_ip: bool
    new_user_agent: bool
    evidence: Evidence
    alias: str | None = None  # the name it was matched by ("key-id:AKIA...")
    confidence: ConfidenceName = "confirmed"  # how surely that name is this identity's
    indicator: bool = False  # the address is one of the advisory's indicators


@dataclass(frozen=True, slots=True)
class AliasFinding:
    """One name of an identity, the rule that links it, how sure, and the proof."""

    kind: str
    value: str
    scope: str | None
    rule: str
    confidence: ConfidenceName
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class LivesIn:
    """A place an identity's secret lives: a session's env, a host file, a pod's token."""

    where: str
    name: str
    session_id: str | None  # the (first) session holding it there
    host: str | None
    path: str | None
    sessions: int = 0  # how many sessions hold it there


@dataclass(frozen=True, slots=True)
class CredentialFinding:
    name: str
    kind: str
    fingerprint: str | None
    confidence: ConfidenceName
    first_exposed: datetime | None
    sessions: tuple[str, ...]
    hosts: tuple[str, ...]
    used_after_exposure: tuple[CredentialUseFinding, ...]
    evidence: tuple[Evidence, ...]
    identity: str = ""
    aliases: tuple[AliasFinding, ...] = ()
    lives_in: tuple[LivesIn, ...] = ()
    rotate: str = ""
    derived_from: str | None = None


@dataclass(frozen=True, slots=True)
class Cleared:
    """Negative evidence: something that met the package but was not exposed, and why."""

    entity: str  # session | lockfile | sbom | environment | inventory
    subject: str
    host: str | None
    package: str
    version: str
    evidence: Evidence
    reason: str = ""  # the fact without its particulars, for per-reason counts


@dataclass(frozen=True, slots=True)
class AdvisoryHeader:
    id: str
    aliases: tuple[str, ...]
    windows: tuple[tuple[datetime, datetime], ...]
    summary: str
    withdrawn: datetime | None = None


@dataclass(frozen=True, slots=True)
class ScopeResult:
    advisory: AdvisoryHeader
    environments: tuple[EnvironmentFinding, ...]
    sessions: tuple[SessionFinding, ...]
    hosts: tuple[HostFinding, ...]
    credentials: tuple[CredentialFinding, ...]
    cleared: tuple[Cleared, ...] = ()
    warnings: tuple[str, ...] = ()
    coverage: Coverage | None = None
    as_of: datetime | None = None  # --as-of: evaluated with what was known then

    def has_findings(self) -> bool:
        return bool(self.environments or self.sessions or self.hosts or self.credentials)

    def uncovered(self) -> bool:
        """Nothing found, and the store cannot answer for the advisory (exit 4): its
        ecosystem is absent, or no evidence reaches into its live window."""
        return not self.has_findings() and self.coverage is not None and not self.coverage.covered

    def by_confidence(self) -> dict[str, int]:
        """Counts of sessions, hosts and credentials per confidence."""
        counts: dict[str, int] = dict.fromkeys(NAMES, 0)
        for group in (self.sessions, self.hosts, self.credentials):
            for item in group:
                counts[item.confidence] += 1
        return counts
