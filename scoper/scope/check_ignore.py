"""Ignore entries for the gate: ``.scoper-ignore.toml`` or ``[tool.scoper]`` in pyproject.toml.

Each ``[[ignore]]`` entry names an advisory (``id``, which may be an alias), optionally a
``package``, a required ``reason`` and an optional ``expires`` date. An entry with
``min-age = true`` and a ``package`` (optionally a ``version``) waives the cool-down for
it instead. An expired entry fails the build (and no longer hides anything); entries that
hid nothing are reported as unused.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from scoper.errors import InputError
from scoper.feeds.model import Advisory
from scoper.names import canonical
from scoper.scope.check import CheckFinding, CheckResult, Ignored
from scoper.scope.check_age import AgeCheck, AgeStatus

IGNORE_FILE = ".scoper-ignore.toml"
MIN_AGE = "min-age"  # the advisory slot of a cool-down waiver


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    """One entry: which advisory (and package) to hide, why, and until when."""

    source: str  # "file#index" for messages
    advisory: str
    package: str | None
    reason: str
    expires: date | None
    version: str | None = None  # min-age waivers: only this version

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    @property
    def label(self) -> str:
        return f"{self.advisory} {self.package}" if self.advisory == MIN_AGE else self.advisory

    def hidden(self, what: CheckFinding | AgeCheck) -> Ignored:
        """The record of what this entry hid."""
        advisory = what.advisory if isinstance(what, CheckFinding) else MIN_AGE
        return Ignored(
            self.source, advisory, what.package, what.version, what.file, self.reason, self.expires
        )


@dataclass(frozen=True, slots=True)
class IgnoreOutcome:
    result: CheckResult  # findings hidden by live entries removed
    ignored: tuple[Ignored, ...]
    expired: tuple[IgnoreEntry, ...]  # these fail the build
    unused: tuple[IgnoreEntry, ...]

    def messages(self) -> tuple[str, ...]:
        """What to say about the entries (expired ones first: they fail)."""
        return (*expired_messages(self.expired), *unused_messages(self.unused))


def expired_messages(entries: Sequence[IgnoreEntry]) -> tuple[str, ...]:
    return tuple(f"expired ignore entry {e.source} ({e.label}, {e.expires})" for e in entries)


def unused_messages(entries: Sequence[IgnoreEntry]) -> tuple[str, ...]:
    return tuple(f"unused ignore entry {e.source} ({e.label})" for e in entries)


def find(paths: Sequence[Path], explicit: Path | None = None) -> Path | None:
    """The first ignore file :func:`find_all` gives (None when there is none)."""
    found = find_all(paths, explicit)
    return found[0] if found else None


def find_all(paths: Sequence[Path], explicit: Path | None = None) -> tuple[Path, ...]:
    """The ignore files: ``explicit``; else, in the first of (the first path's folder, the
    cwd) that has any, both ``.scoper-ignore.toml`` and a pyproject.toml with
    ``[tool.scoper]`` ignore entries (neither silently shadows the other)."""
    if explicit is not None:
        return (explicit,)
    dirs = [p if p.is_dir() else p.parent for p in paths[:1]] + [Path.cwd()]
    for folder in dirs:
        found = tuple(
            folder / name
            for name in (IGNORE_FILE, "pyproject.toml")
            if (folder / name).is_file() and (name == IGNORE_FILE or _has_tool_table(folder / name))
        )
        if found:
            return found
    return ()


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
    """Hide findings (and waive cool-down refusals) matched by live entries; report expired
    and unused ones in the outcome and in the result."""
    names = {n.upper(): a.id for a in advisories for n in a.names()}
    live = [e for e in entries if not e.expired(today)]
    used: set[IgnoreEntry] = set()
    kept: list[CheckFinding] = []
    hidden: list[Ignored] = []
    for f in result.findings:
        hit = [e for e in live if _matches(e, f, names)]
        used.update(hit)
        hidden += [hit[0].hidden(f)] if hit else []
        kept += [] if hit else [f]
    ages: list[AgeCheck] = []
    for age in result.ages:
        hit = [e for e in live if _waives(e, age)] if age.status is not AgeStatus.OLD_ENOUGH else []
        used.update(hit)
        hidden += [hit[0].hidden(age)] if hit else []
        ages.append(age.waived(f"{hit[0].source}: {hit[0].reason}") if hit else age)
    expired = tuple(e for e in entries if e.expired(today))
    unused = tuple(e for e in live if e not in used)
    changed = replace(
        result,
        findings=tuple(kept),
        ages=tuple(ages),
        ignored=(*result.ignored, *hidden),
        expired=expired_messages(expired),
        unused=unused_messages(unused),
    )
    return IgnoreOutcome(changed, tuple(hidden), expired, unused)


def _waives(entry: IgnoreEntry, age: AgeCheck) -> bool:
    if entry.advisory != MIN_AGE or entry.package is None:
        return False
    same = canonical(age.ecosystem, entry.package) == canonical(age.ecosystem, age.package)
    return same and entry.version in (None, age.version)


def _matches(entry: IgnoreEntry, finding: CheckFinding, names: dict[str, str]) -> bool:
    if entry.advisory == MIN_AGE:
        return False
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
    min_age = item.get("min-age", False)
    if not isinstance(min_age, bool):
        raise InputError(str(path), "'min-age' must be true or false", where)
    advisory = MIN_AGE if min_age else item.get("id") or item.get("alias")
    package, version = item.get("package"), item.get("version")
    if not isinstance(advisory, str) or not advisory:
        raise InputError(str(path), "ignore entry needs an 'id' (or 'alias')", where)
    if min_age and not (isinstance(package, str) and package):
        raise InputError(str(path), "a min-age ignore entry needs a 'package'", where)
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InputError(str(path), f"ignore entry {advisory} needs a 'reason'", where)
    expires = item.get("expires")
    if expires is not None and (isinstance(expires, datetime) or not isinstance(expires, date)):
        raise InputError(str(path), "'expires' must be a TOML date (YYYY-MM-DD)", where)
    return IgnoreEntry(
        f"{path}: {where}",
        advisory,
        package if isinstance(package, str) else None,
        reason,
        expires,
        str(version) if version is not None and min_age else None,
    )


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    return "ignore" in data.get("tool", {}).get("scoper", {})
