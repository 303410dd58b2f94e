"""Version logic per ecosystem: is a version affected, does a specifier admit it.

PEP 440 (``packaging``) for PyPI, node-semver for npm, SemVer 2.0 (the same
parser, ``v`` and ``+build`` stripped) for Go modules, whose pseudo-versions
PEP 440 cannot read; exact strings elsewhere (GitHub Actions refs, digests).
Called once per *distinct* (ecosystem, name, version/spec), never per row.
"""

from __future__ import annotations

from functools import cache, cmp_to_key
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from scoper.feeds.model import Affected, OsvRange


@cache
def pep440(text: str) -> Version | None:
    """The PEP 440 version, or None when the text is not one."""
    try:
        return Version(text)
    except ValueError:  # InvalidVersion, or a release number too long for int()
        return None


def _semver_key(text: str) -> Any:
    from scoper.scope import semver

    try:
        return semver.parse_version(text)
    except ValueError:
        return None


def _go_key(text: str) -> Any:
    """Go module order is SemVer 2.0; pseudo-versions are pre-releases.

    Modules write ``v1.2.3``, OSV writes ``1.2.3``: both read the same.
    """
    return _semver_key(text.removeprefix("v").split("+", 1)[0])


def version_key(ecosystem: str, text: str) -> Any:
    """A comparable key for ``text`` in ``ecosystem``, or None if it cannot be ordered."""
    if ecosystem == "npm":
        return _semver_key(text)
    if ecosystem == "Go":
        return _go_key(text)
    return pep440(text)


def same_version(ecosystem: str, a: str, b: str) -> bool:
    """Equal as versions (``1.0`` == ``1.0.0`` under PEP 440), else as strings."""
    ka, kb = version_key(ecosystem, a), version_key(ecosystem, b)
    if ka is not None and kb is not None:
        return bool(ka == kb)
    return a == b


def in_range(ecosystem: str, version: str, osv_range: OsvRange) -> bool:
    """OSV range evaluation: walk introduced/fixed/last_affected/limit events in version order."""
    if osv_range.type == "GIT":
        return False
    key = version_key(ecosystem, version)
    if key is None:
        return False
    affected = False
    for event, bound in _ordered_events(ecosystem, osv_range):
        if event == "introduced":
            affected = affected or bound is None or bound <= key
        elif bound is None:
            continue
        elif event == "limit" and bound <= key:
            return False
        elif (event == "fixed" and bound <= key) or (event == "last_affected" and bound < key):
            affected = False
    return affected


def _ordered_events(ecosystem: str, osv_range: OsvRange) -> list[tuple[str, Any]]:
    """Events with parsed bounds, sorted by version; "0" (None) first, unparseable dropped."""
    parsed: list[tuple[str, Any]] = []
    for event, bound in osv_range.events:
        if bound == "0":
            parsed.append((event, None))
        elif (bound_key := version_key(ecosystem, bound)) is not None:
            parsed.append((event, bound_key))
    return sorted(parsed, key=cmp_to_key(_compare_events))


def _compare_events(a: tuple[str, Any], b: tuple[str, Any]) -> int:
    if a[1] is None or b[1] is None:
        return (a[1] is not None) - (b[1] is not None)
    return -1 if a[1] < b[1] else int(a[1] > b[1])


def is_affected(affected: Affected, version: str) -> bool:
    """True if ``version`` is listed or falls in one of the advisory's ranges."""
    if any(same_version(affected.ecosystem, version, v) for v in affected.versions):
        return True
    if any(same_version(affected.ecosystem, version, f.version) for f in affected.facts):
        return True
    return any(in_range(affected.ecosystem, version, r) for r in affected.ranges)


def admits(ecosystem: str, spec: str, version: str, *, prereleases: bool = False) -> bool:
    """Would a requirement with ``spec`` accept ``version``? An empty spec accepts any."""
    if ecosystem == "npm":
        from scoper.scope import semver

        try:
            return bool(semver.satisfies(version, spec or "*"))
        except ValueError:
            # git:, file:, tag or URL specs name no registry range: the registry's bad
            # version cannot be what they resolve to.
            return False
    parsed = pep440(version)
    if parsed is None:
        return False
    try:
        specifier = SpecifierSet(spec or "")
    except InvalidSpecifier:
        return False
    # Explicit: packaging 26 admits pre-releases when told None; pip admits them only when
    # asked or when the spec itself names one (``>=2.0rc1``).
    return specifier.contains(parsed, prereleases=prereleases or bool(specifier.prereleases))
