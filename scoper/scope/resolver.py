"""The resolver at a moment: which version pip/uv would have chosen for a spec at time t.

Rules (each one a test in ``tests/scope/test_resolver_at_time.py``):

- PEP 440 ordering; the highest admitted version wins.
- Pre-releases only when the spec names one or ``--pre`` is given, else only
  when no final release is admitted (``packaging``'s filter; pip and uv agree).
- Yanked files are skipped unless the spec pins the version exactly
  (``==V`` / ``===V``, PEP 592). Yank status is as of the fetch, not of t.
- ``requires-python`` is honoured when both it and the interpreter are known.
- A quarantined project (PEP 792) has nothing installable.
- A file counts only once uploaded (PEP 700 ``upload-time`` per file) and before
  the command's own bound: ``uv --exclude-newer``, pip's ``--uploaded-prior-to``
  or uv.lock ``[options] exclude-newer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from scoper.feeds.pypi import DistFile, ProjectFiles


class Outcome(StrEnum):
    """Why the resolver chose what it chose."""

    CHOSEN = "chosen"
    QUARANTINED = "quarantined"
    NOTHING_YET = "nothing-uploaded-yet"
    NO_MATCH = "no-version-matches"
    BAD_SPEC = "invalid-spec"


@dataclass(frozen=True, slots=True)
class Moment:
    """The install's context: when, the interpreter, the command's own time bound."""

    at: datetime
    python: str | None = None
    exclude_newer: datetime | None = None
    pre: bool = False


@dataclass(frozen=True, slots=True)
class Resolution:
    """The version chosen (None when nothing was installable) and why."""

    version: str | None
    outcome: Outcome


def resolve_at(spec: str, project: ProjectFiles, moment: Moment) -> Resolution:
    """The version a resolver would have picked for ``spec`` at ``moment``."""
    if not project.installable:
        return Resolution(None, Outcome.QUARANTINED)
    try:
        specifier = SpecifierSet(spec or "")
    except InvalidSpecifier:
        return Resolution(None, Outcome.BAD_SPEC)
    present = [f for f in project.files if _present(f, moment)]
    if not present:
        return Resolution(None, Outcome.NOTHING_YET)
    pinned = _exact_pins(specifier)
    versions: dict[Version, str] = {}
    for f in present:
        parsed = _version(f.version)
        if parsed is None or (f.yanked and parsed not in pinned):
            continue
        versions[parsed] = f.version
    prereleases = True if moment.pre else None
    admitted = list(specifier.filter(versions, prereleases=prereleases))
    if not admitted:
        return Resolution(None, Outcome.NO_MATCH)
    return Resolution(versions[max(admitted)], Outcome.CHOSEN)


def _present(f: DistFile, moment: Moment) -> bool:
    if f.uploaded_at > moment.at:
        return False
    if moment.exclude_newer is not None and f.uploaded_at >= moment.exclude_newer:
        return False
    return _python_ok(f.requires_python, moment.python)


def _python_ok(requires: str | None, python: str | None) -> bool:
    if not requires or not python:
        return True  # unknown: do not exclude
    try:
        return SpecifierSet(requires).contains(python, prereleases=True)
    except InvalidSpecifier:
        return True  # pip ignores an unparsable requires-python too


def _exact_pins(specifier: SpecifierSet) -> set[Version]:
    pins = set()
    for item in specifier:
        if item.operator in ("==", "===") and "*" not in item.version:
            parsed = _version(item.version)
            if parsed is not None:
                pins.add(parsed)
    return pins


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None
