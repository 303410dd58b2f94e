"""Time reasoning: which version would a resolver have picked, and when.

For an install whose version was not recorded (``pip install "litellm>=1.80"``)
the answer depends only on the release history, so it changes only at release
boundaries. We compute, once per distinct specifier, the intervals during which
the highest installable admitted version was a bad one; SQL then joins events
to those intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scoper.feeds.model import Affected, Release, VersionFacts
from scoper.scope.confidence import Confidence
from scoper.scope.versions import admits, version_key


@dataclass(frozen=True, slots=True)
class Interval:
    """While ``start <= t < end`` a resolver given the spec would pick ``version``."""

    start: datetime | None
    end: datetime | None
    version: str
    confidence: Confidence  # LIKELY inside the registry window, POSSIBLE in the tail


@dataclass(frozen=True, slots=True)
class _Candidate:
    version: str
    key: object
    available_from: datetime | None
    likely_until: datetime | None  # end of the registry window (bad versions)
    available_until: datetime | None
    yanked: bool
    bad: bool


def _candidates(affected: Affected, releases: tuple[Release, ...]) -> list[_Candidate]:
    facts = {f.version: f for f in affected.facts}
    found: dict[str, _Candidate] = {}
    for release in releases:
        key = version_key(affected.ecosystem, release.version)
        if key is None:
            continue
        fact = facts.get(release.version)
        found[release.version] = _from_release(release, key, fact)
    for fact in affected.facts:
        key = version_key(affected.ecosystem, fact.version)
        if fact.version not in found and key is not None:
            found[fact.version] = _from_fact(fact, key)
    return list(found.values())


def _from_release(release: Release, key: object, fact: VersionFacts | None) -> _Candidate:
    if fact is None:
        return _Candidate(
            release.version,
            key,
            release.uploaded_at,
            None,
            release.removed_at,
            release.yanked,
            False,
        )
    return _from_fact(fact, key, release.uploaded_at)


def _from_fact(fact: VersionFacts, key: object, uploaded: datetime | None = None) -> _Candidate:
    until = fact.conservative_until or fact.live_until
    return _Candidate(
        fact.version, key, fact.live_from or uploaded, fact.live_until or until, until, False, True
    )


def _available(c: _Candidate, t: datetime) -> bool:
    if c.available_from is not None and t < c.available_from:
        return False
    return c.available_until is None or t < c.available_until


def _pick(cands: list[_Candidate], t: datetime) -> _Candidate | None:
    live = [c for c in cands if _available(c, t)]
    return max(live, key=lambda c: c.key) if live else None  # type: ignore[arg-type,return-value]


def resolve(affected: Affected, releases: tuple[Release, ...], spec: str) -> list[Interval]:
    """Intervals in which a resolver honouring ``spec`` would have installed a bad version."""
    cands = [
        c
        for c in _candidates(affected, releases)
        if not c.yanked and admits(affected.ecosystem, spec, c.version)
    ]
    if not any(c.bad for c in cands):
        return []
    points = sorted(
        {
            t
            for c in cands
            for t in (c.available_from, c.likely_until, c.available_until)
            if t is not None
        }
    )
    out: list[Interval] = []
    first = _pick([c for c in cands if c.available_from is None], points[0]) if points else None
    if not points or (first is not None and first.bad):
        best = first or max(cands, key=lambda c: c.key)  # type: ignore[arg-type,return-value]
        if best.bad:
            out.append(
                Interval(None, points[0] if points else None, best.version, Confidence.POSSIBLE)
            )
    for start, end in zip(points, [*points[1:], None][: len(points)], strict=True):
        chosen = _pick(cands, start)
        if chosen is None or not chosen.bad:
            continue
        likely = chosen.likely_until is None or start < chosen.likely_until
        _append(
            out,
            Interval(
                start, end, chosen.version, Confidence.LIKELY if likely else Confidence.POSSIBLE
            ),
        )
    return out


def _append(out: list[Interval], interval: Interval) -> None:
    last = out[-1] if out else None
    if (
        last
        and last.end == interval.start
        and (last.version, last.confidence) == (interval.version, interval.confidence)
    ):
        out[-1] = Interval(last.start, interval.end, last.version, last.confidence)
    else:
        out.append(interval)
