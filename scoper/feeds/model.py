"""Advisory records: OSV plus scoper's ``database_specific.scoper`` extension.

Loaders in :mod:`scoper.feeds` turn files into these; the store normalises them
into rows (one row per affected version, window, hash, harvest class).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Trigger = Literal["install", "startup", "import", "call"]
TRIGGERS: tuple[str, ...] = ("install", "startup", "import", "call")


@dataclass(frozen=True, slots=True)
class FileHash:
    """A known artifact: a wheel/sdist of a bad version or a file it drops."""

    sha256: str  # lowercase hex, no prefix
    filename: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class IntegrityHash:
    """A digest of a published artifact of the package (ossf ``package_integrity``),
    matched against artifact hashes in the store whatever the version string says."""

    algorithm: str  # sha256 | sha512 | md5 | blake2b_256 ... (lowercase, as lockfiles name it)
    digest: str  # lowercase hex
    filename: str | None = None


@dataclass(frozen=True, slots=True)
class VersionFacts:
    """What is known about one bad version: when it was live and how it runs."""

    version: str
    trigger: str = "install"
    trigger_module: str | None = None  # for trigger "import": the module whose import runs it
    live_from: datetime | None = None  # registry upload time
    live_until: datetime | None = None  # quarantine / removal (install window end)
    conservative_until: datetime | None = None  # the advisory's conservative end
    artifacts: tuple[FileHash, ...] = ()


@dataclass(frozen=True, slots=True)
class OsvRange:
    """An OSV range: type and ordered (event, version) pairs."""

    type: str  # ECOSYSTEM | SEMVER | GIT
    events: tuple[tuple[str, str], ...]  # ("introduced", "1.0"), ("fixed", "2.0"), ...


@dataclass(frozen=True, slots=True)
class Release:
    """One release in a package's history (for offline resolver inference)."""

    version: str
    uploaded_at: datetime | None  # None: before any window of interest
    yanked: bool = False
    removed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class BadCommit:
    """A commit an action's tags pointed to while compromised: running it ran the payload."""

    sha: str  # 40 hex digits, lower case
    tags: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SafeRef:
    """Refs (an fnmatch pattern) known clean, always or from ``since`` (re-published)."""

    match: str
    since: datetime | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class OldPins:
    """SHA pins to commits made before ``committed_before`` pulled ``via`` unpinned, so
    they ran its payload while ``via`` was bad (``start``..``end``): trivy-action pins
    older than 2025-04-09 pulled setup-trivy by tag (GHSA-69fq-xp46-6x23)."""

    committed_before: datetime
    via: str
    start: datetime
    end: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ActionRefs:
    """Per-ref facts of a GitHub Action: the bad commits and the refs known safe."""

    bad_commits: tuple[BadCommit, ...] = ()
    safe: tuple[SafeRef, ...] = ()
    note: str | None = None
    old_pins: OldPins | None = None


@dataclass(frozen=True, slots=True)
class Affected:
    """One affected package of an advisory."""

    ecosystem: str
    name: str  # canonical
    versions: tuple[str, ...] = ()
    ranges: tuple[OsvRange, ...] = ()
    facts: tuple[VersionFacts, ...] = ()
    default_trigger: str = "install"
    releases: tuple[Release, ...] = ()
    refs: ActionRefs | None = None  # GitHub Actions only
    integrity: tuple[IntegrityHash, ...] = ()  # database_specific.indicators.package_integrity


@dataclass(frozen=True, slots=True)
class Window:
    """When bad versions could be installed from the registry."""

    start: datetime
    end: datetime
    conservative_end: datetime | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SourceNote:
    """Where a fact in the advisory comes from, and how strong that source is."""

    label: str  # PRIMARY | SECONDARY | DERIVED | UNVERIFIED
    url: str | None = None  # None only for claims whose original was not read
    fact: str | None = None


@dataclass(frozen=True, slots=True)
class Advisory:
    """An advisory as scoper uses it."""

    id: str
    origin: str  # file it was loaded from, or "bundled:<name>"
    aliases: tuple[str, ...] = ()
    summary: str = ""
    details: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    withdrawn: datetime | None = None
    affected: tuple[Affected, ...] = ()
    windows: tuple[Window, ...] = ()
    harvests: tuple[str, ...] = ()
    iocs: dict[str, Any] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    file_hashes: tuple[FileHash, ...] = ()  # dropped files (e.g. a .pth) and other IOCs
    sources: tuple[SourceNote, ...] = ()  # cited evidence for the facts above

    def names(self) -> tuple[str, ...]:
        """The id and every alias, for ``--advisory`` lookups."""
        return (self.id, *self.aliases)
