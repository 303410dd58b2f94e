"""GitHub Actions refs judged by commit and time (reference §5 point 3).

Tags move, so an action use is judged by (ref, resolved SHA, time), not by version alone.
Python evaluates each *distinct* (name, ref, sha) the store holds into time segments
(``scope_action_match``: valid_from/valid_until, a confidence or NULL for cleared, and the
reason); ``sql/actions.sql`` joins the rows against them. The rules, in order:

1. the resolved SHA (or a SHA pin) is one of the advisory's ``bad_commits``: confirmed at
   any time (a commit cannot change);
2. a SHA pin to any other commit: cleared, unless the advisory says old pins pulled
   another action unpinned (``old_pins``): then *possible* while that action was bad (the
   pinned commit's date is not in the evidence), cleared before and after;
3. a ``safe`` ref with no ``since`` (0.35.0): cleared; with ``since`` (re-published tags):
   cleared from then on, judged as a tag before;
4. a tag the advisory's versions/ranges name: confirmed inside its live window (the
   version's ``live_from``/``live_until``, else the advisory's windows), possible in a
   conservative tail, cleared before and after; any other ref: cleared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from fnmatch import fnmatchcase

from scoper.engines.base import Connection, stage_rows
from scoper.feeds.action_refs import ACTIONS
from scoper.feeds.model import Advisory, Affected, BadCommit, OldPins, SafeRef, Window
from scoper.scope.confidence import Confidence
from scoper.scope.steps import sql
from scoper.scope.versions import is_affected, same_version
from scoper.store.load import Row, utc_naive
from scoper.store.sql import split

_SHA1 = re.compile(r"[0-9a-fA-F]{40}\Z")
Segment = tuple[datetime | None, datetime | None, Confidence | None, str]


def is_sha(ref: str) -> bool:
    """A full commit SHA (a pin), not a tag or branch."""
    return _SHA1.match(ref) is not None


def stage(con: Connection, adv: Advisory) -> None:
    """Fill ``scope_action_match`` for the store's distinct action uses of ``adv``."""
    by_name = {a.name: a for a in adv.affected if a.ecosystem == ACTIONS}
    found: list[Row] = []
    *setup, query = split(sql("actions_distinct"))
    for statement in setup:
        con.execute(statement)
    for name, ref, sha in con.execute(query).fetchall():
        if name in by_name:
            found += _rows(name, ref, sha, judge(by_name[name], adv.windows, ref, sha))
    stage_rows(con, "scope_action_match", found)


def listed_refs(adv: Advisory, listed: Iterable[tuple[str, str | None]]) -> list[Row]:
    """``scope_version_match`` rows for refs a file lists (a workflow, an SBOM): with no
    time to judge by, a ref is bad when some time made it bad and no ``safe`` entry covers
    it (a re-published tag resolves to the clean commit today)."""
    by_name = {a.name: a for a in adv.affected if a.ecosystem == ACTIONS}
    found: list[Row] = []
    for name, ref in listed:
        affected = by_name.get(name)
        if affected is None or ref is None or _safe_ref(affected, ref):
            continue
        levels = {level for _, _, level, _ in judge(affected, adv.windows, ref, None)} - {None}
        if is_sha(ref) and Confidence.CONFIRMED not in levels:
            continue  # an old pin's risk was its window (old_pins); the pin is clean today
        if levels:
            trigger = affected.default_trigger
            row = {"ecosystem": ACTIONS, "name": name, "version": ref, "bad_version": ref}
            found.append({**row, "trigger": trigger, "trigger_module": None})
    return found


def unpinned_warnings(con: Connection, advisories: Iterable[Advisory]) -> list[str]:
    """A warning per listed tag/branch ref of an action whose tags an advisory says were
    rewritten (any GitHub Action a bundled or given advisory names)."""
    named: dict[str, list[str]] = {}
    for adv in advisories:
        for affected in adv.affected:
            if affected.ecosystem == ACTIONS:
                named.setdefault(affected.name, []).append(adv.id)
    return [
        f"{file}:{line}: {name}@{ref} is not pinned to a commit SHA, and {name} has a "
        f"history of tag rewrites ({', '.join(sorted(set(named[name])))})"
        for name, ref, file, line in con.execute(sql("actions_unpinned")).fetchall()
        if name in named
    ]


def _safe_ref(affected: Affected, ref: str) -> bool:
    return any(fnmatchcase(ref, s.match) for s in affected.refs.safe) if affected.refs else False


def _rows(name: str, ref: str, sha: str | None, segments: Iterable[Segment]) -> list[Row]:
    return [
        {
            "name": name,
            "ref": ref,
            "sha": sha,
            "valid_from": utc_naive(start),
            "valid_until": utc_naive(end),
            "confidence": None if level is None else int(level),
            "reason": reason,
        }
        for start, end, level, reason in segments
    ]


def judge(
    affected: Affected, windows: tuple[Window, ...], ref: str, sha: str | None
) -> list[Segment]:
    """The time segments of one (ref, resolved sha) of an affected action."""
    refs = affected.refs
    bad = {c.sha: c for c in refs.bad_commits} if refs else {}
    for listed in affected.versions:  # OSV records may list the bad commits as versions
        if is_sha(listed):
            bad.setdefault(listed.lower(), BadCommit(listed.lower()))
    pinned = ref.lower() if is_sha(ref) else None
    hit = bad.get(pinned or "") or bad.get((sha or "").lower())
    if hit is not None:
        tags = f" (tags {', '.join(hit.tags)})" if hit.tags else ""
        return [(None, None, Confidence.CONFIRMED, f"ran bad commit {hit.sha[:12]}{tags}")]
    if pinned is not None:
        if refs and refs.old_pins:
            return _old_pin_segments(refs.old_pins)
        why = "SHA pin to a commit the advisory does not list as bad"
        return [(None, None, None, why + (f"; {refs.note}" if refs and refs.note else ""))]
    safe = next((s for s in refs.safe if fnmatchcase(ref, s.match)), None) if refs else None
    if safe is not None and safe.since is None:
        return [(None, None, None, _safe_reason(ref, safe))]
    segments = _tag_segments(affected, windows, ref)
    if safe is None or safe.since is None:
        return segments
    return [*_clip(segments, safe.since), (safe.since, None, None, _safe_reason(ref, safe))]


def _old_pin_segments(old: OldPins) -> list[Segment]:
    """A SHA pin that may be older than ``old.committed_before``: it pulled ``old.via``
    unpinned, so it is possible while ``via`` was bad; the commit's date is not known."""
    since = f"{old.start:%Y-%m-%d %H:%M} to {old.end:%Y-%m-%d %H:%M} UTC"
    possible = (
        f"SHA pin to a commit the advisory does not list as bad, but pins to commits before "
        f"{old.committed_before:%Y-%m-%d} pulled {old.via} unpinned, which was bad {since}; "
        "the pinned commit's date is not in the evidence"
    )
    clean = f"SHA pin to a commit the advisory does not list as bad, used outside {since}"
    return [
        (None, old.start, None, clean),
        (old.start, old.end, Confidence.POSSIBLE, possible),
        (old.end, None, None, clean),
    ]


def _safe_reason(ref: str, safe: SafeRef) -> str:
    when = f" from {safe.since:%Y-%m-%d %H:%M} UTC" if safe.since else ""
    return f"ref {ref} is known clean{when}" + (f": {safe.note}" if safe.note else "")


def _tag_segments(affected: Affected, windows: tuple[Window, ...], ref: str) -> list[Segment]:
    if not is_affected(affected, ref):
        return [(None, None, None, f"ref {ref} is not a tag the advisory names")]
    fact = next((f for f in affected.facts if same_version(ACTIONS, ref, f.version)), None)
    if fact is not None and fact.live_from is not None:
        end = fact.live_until or fact.live_from
        windows = (Window(fact.live_from, end, fact.conservative_until),)
    if not windows:
        return [(None, None, Confidence.POSSIBLE, f"used tag {ref}; the advisory gives no window")]
    segments: list[Segment] = []
    previous: datetime | None = None
    for window in sorted(windows, key=lambda w: w.start):
        before = f"used tag {ref} before it was rewritten ({window.start:%Y-%m-%d %H:%M} UTC)"
        segments.append((previous, window.start, None, before))
        live = f"used tag {ref} while it pointed to the bad commit"
        segments.append((window.start, window.end, Confidence.CONFIRMED, live))
        previous = window.end
        if window.conservative_end is not None:
            tail = f"used tag {ref} in the uncertain tail of the window"
            segments.append((window.end, window.conservative_end, Confidence.POSSIBLE, tail))
            previous = window.conservative_end
    after = f"used tag {ref} after the window ({previous:%Y-%m-%d %H:%M} UTC)"
    return [*segments, (previous, None, None, after)]


def _clip(segments: list[Segment], until: datetime) -> list[Segment]:
    clipped: list[Segment] = []
    for start, end, level, reason in segments:
        if start is not None and start >= until:
            continue
        clipped.append((start, until if end is None or end > until else end, level, reason))
    return clipped
