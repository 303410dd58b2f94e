"""Ignore entries for the gate: ``.scoper-ignore.toml`` or ``[tool.scoper]`` in pyproject.toml.

Each ``[[ignore]]`` entry names an advisory (``id``, which may be an alias), optionally a
``package``, a required ``reason`` and an optional ``expires`` date. An expired entry fails
the build (and no longer hides anything); entries that hid nothing are reported as unused.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from scoper.errors import InputError
from scoper.feeds.model import Advisory
from scoper.names import canonical
from scoper.scope.check import CheckFinding, CheckResult

IGNORE_FILE = ".scoper-ignore.toml"


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    """One entry: which advisory (and package) to hide, why, and until when."""

    source: str  # "file#index" for messages
    advisory: str
    package: str | None
    reason: str
    expires: date | None

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(frozen=True, slots=True)
class IgnoreOutcome:
    result: CheckResult  # findings hidden by live entries removed
    ignored: tuple[CheckFinding, ...]
    expired: tuple[IgnoreEntry, ...]  # these fail the build
    unused: tuple[IgnoreEntry, ...]

    def messages(self) -> tuple[str, ...]:
        """What to say about the entries (expired ones first: they fail)."""
        out = [f"expired ignore entry {e.source} ({e.advisory}, {e.expires})" for e in self.expired]
        out += [f"unused ignore entry {e.source} ({e.advisory})" for e in self.unused]
        return tuple(out)


def find(paths: Sequence[Path], explicit: Path | None = None) -> Path | None:
    """The ignore file: ``explicit``, else one beside the first path, else in the cwd."""
    if explicit is not None:
        return explicit
    dirs = [p if p.is_dir() else p.parent for p in paths[:1]] + [Path.cwd()]
    for folder in dirs:
        for name in (IGNORE_FILE, "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file() and (name == IGNORE_FILE or _has_tool_table(candidate)):
                return candidate
    return None


def load(path: Path) -> tuple[IgnoreEntry, ...]:
    """Entries of one file; a malformed file or an entry with no reason is exit 3."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read ignore file: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("scoper", {})
    raw = data.get("ignore", [])
    if not isinstance(raw, list):
        raise InputError(str(path), "'ignore' must be an array of tables")
    return tuple(_entry(path, i, item) for i, item in enumerate(raw, 1))


def apply(
    result: CheckResult,
    entries: Sequence[IgnoreEntry],
    advisories: Sequence[Advisory],
    today: date,
) -> IgnoreOutcome:
    """Hide findings matched by live entries; report expired and unused ones."""
    names = {n.upper(): a.id for a in advisories for n in a.names()}
    live = [e for e in entries if not e.expired(today)]
    used: set[IgnoreEntry] = set()
    kept: list[CheckFinding] = []
    hidden: list[CheckFinding] = []
    for f in result.findings:
        hit = [e for e in live if _matches(e, f, names)]
        used.update(hit)
        (hidden if hit else kept).append(f)
    return IgnoreOutcome(
        replace(result, findings=tuple(kept)),
        tuple(hidden),
        tuple(e for e in entries if e.expired(today)),
        tuple(e for e in live if e not in used),
    )


def _matches(entry: IgnoreEntry, finding: CheckFinding, names: dict[str, str]) -> bool:
    target = names.get(entry.advisory.upper(), entry.advisory)
    if target.upper() != finding.advisory.upper():
        return False
    return entry.package is None or canonical("PyPI", entry.package) == canonical(
        "PyPI", finding.package
    )


def _entry(path: Path, index: int, item: object) -> IgnoreEntry:
    where = f"ignore[{index}]"
    if not isinstance(item, dict):
        raise InputError(str(path), "an ignore entry must be a table", where)
    advisory = item.get("id") or item.get("alias")
    reason = item.get("reason")
    if not isinstance(advisory, str) or not advisory:
        raise InputError(str(path), "ignore entry needs an 'id' (or 'alias')", where)
    if not isinstance(reason, str) or not reason.strip():
        raise InputError(str(path), f"ignore entry {advisory} needs a 'reason'", where)
    expires = item.get("expires")
    if expires is not None and not isinstance(expires, date):
        raise InputError(str(path), "'expires' must be a TOML date (YYYY-MM-DD)", where)
    package = item.get("package")
    return IgnoreEntry(
        f"{path}: {where}", advisory, package if isinstance(package, str) else None, reason, expires
    )


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return "ignore" in data.get("tool", {}).get("scoper", {})
