"""Coverage: what the store holds, and whether it can answer for an advisory.

Every scope and check result carries it, so "nothing found" is never confused with
"nothing looked at": an advisory's ecosystem absent from the store, or (for scope) no
evidence inside its live window, is said in ``reasons`` and in the result's warnings.
The counting is SQL (``sql/coverage*.sql``); Python only compares the few values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from scoper.engines.base import Connection
from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.model import Advisory, Window
from scoper.scope.steps import rows
from scoper.store.load import utc_naive
from scoper.times import rfc3339


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """What the store holds: files, records, artifacts, hosts, sessions, events and their
    time span, and the packages per ecosystem."""

    files: int
    records: int
    artifacts: int
    hosts: int
    sessions: int
    events: int
    first_ts: datetime | None
    last_ts: datetime | None
    ecosystems: tuple[tuple[str, int], ...]

    def present(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.ecosystems)


@dataclass(frozen=True, slots=True)
class Coverage:
    """The store's counts, and whether they cover the advisories asked about.

    ``window`` is None when there is no live window to judge (check, or an advisory
    without one); ``missing`` lists the advisories' ecosystems the store lacks.
    """

    store: StoreCounts
    ecosystems: tuple[str, ...]
    missing: tuple[str, ...]
    window: bool | None
    covered: bool
    reasons: tuple[str, ...]


def measure(con: Connection) -> StoreCounts:
    """Count what the store holds (two small queries)."""
    (row,) = rows(con, "coverage")
    ecosystems = tuple(
        (r["ecosystem"], int(r["packages"])) for r in rows(con, "coverage_ecosystems")
    )
    counts = {k: int(row[k]) for k in ("files", "records", "artifacts", "hosts", "sessions")}
    return StoreCounts(
        **counts,
        events=int(row["events"]),
        first_ts=row["first_ts"],
        last_ts=row["last_ts"],
        ecosystems=ecosystems,
    )


def held(con: Connection, db: str, as_of: datetime | None) -> StoreCounts:
    """The store's counts; no file or no record is exit 4 (never a silent "nothing")."""
    counts = measure(con)
    if not counts.files:
        when = f"held no ingested data at {rfc3339(as_of)}" if as_of else "holds no ingested data"
        raise AdvisoryUnavailableError(f"{db} {when}: run `scoper ingest` first")
    if not counts.records:
        raise AdvisoryUnavailableError(
            f"the store holds no records: {db}: {counts.files} file(s) ingested, none gave a record"
        )
    return counts


def for_scope(con: Connection, adv: Advisory, counts: StoreCounts) -> Coverage:
    """Whether the store covers ``adv``: all its ecosystems, and evidence in its window."""
    wanted = _ecosystems([adv])
    missing = tuple(e for e in wanted if e not in counts.present())
    reasons = [
        f"the advisory affects {e} packages and the store holds none: nothing could match"
        for e in missing
    ]
    window = _in_window(con, adv.windows) if adv.windows else None
    if window is False:
        reasons.append(_window_reason(adv.windows, counts))
    return Coverage(counts, wanted, missing, window, not reasons, tuple(reasons))


def for_check(counts: StoreCounts, advisories: Sequence[Advisory]) -> Coverage:
    """Whether the inputs hold any ecosystem the advisories affect (each absent one is
    noted; only none at all leaves the check uncovered)."""
    wanted = _ecosystems(advisories)
    missing = tuple(e for e in wanted if e not in counts.present())
    reasons = tuple(
        f"no {e} packages in the inputs: {', '.join(_ids(advisories, e))} matched nothing"
        for e in missing
    )
    covered = bool(set(wanted) - set(missing)) or not wanted
    return Coverage(counts, wanted, missing, None, covered, reasons)


def _ecosystems(advisories: Sequence[Advisory]) -> tuple[str, ...]:
    return tuple(sorted({a.ecosystem for adv in advisories for a in adv.affected}))


def _ids(advisories: Sequence[Advisory], ecosystem: str) -> list[str]:
    return sorted(
        adv.id for adv in advisories if any(a.ecosystem == ecosystem for a in adv.affected)
    )


def _in_window(con: Connection, windows: Sequence[Window]) -> bool:
    """Whether any file's events, or any dated artifact, reach into any live window."""
    for w in windows:
        params = {"start": utc_naive(w.start), "end": utc_naive(w.end)}
        (row,) = rows(con, "coverage_window", params)
        if row["event_files"] or row["artifacts"]:
            return True
    return False


def _window_reason(windows: Sequence[Window], counts: StoreCounts) -> str:
    live = ", ".join(f"{rfc3339(w.start)} .. {rfc3339(w.end)}" for w in windows)
    if counts.events:
        span = f"the events span {rfc3339(counts.first_ts)} .. {rfc3339(counts.last_ts)}"
    else:
        span = "the store holds no events"
    return f"no events or dated artifacts overlap the live window {live} ({span})"
