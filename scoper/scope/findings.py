"""Typed row-to-finding mappers: SQL has grouped, ranked and ordered the rows already."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from scoper.scope.confidence import Confidence
from scoper.scope.result import (
    Cleared,
    EnvironmentFinding,
    Evidence,
    HostFinding,
    SessionFinding,
)

Row = dict[str, Any]


def _groups(rows: Iterable[Row], key: str) -> list[list[Row]]:
    """Consecutive rows sharing ``key`` (the queries order by it)."""
    return [list(group) for _, group in groupby(rows, key=itemgetter(key))]


def _ev(row: Row) -> Evidence:
    """The evidence a result row carries (its source file, line and fact)."""
    return Evidence(row["source_file"], row["source_line"], row["fact"])


def _evidence(rows: Iterable[Row]) -> tuple[Evidence, ...]:
    return tuple(Evidence(r["file"], r["line"], r["fact"]) for r in rows)


def map_environments(rows: Sequence[Row]) -> tuple[EnvironmentFinding, ...]:
    """One finding per ``finding_n``, its evidence in row order."""
    return tuple(
        EnvironmentFinding(
            top["environment"],
            top["host"],
            top["image_digest"],
            top["package"],
            top["version"],
            Confidence(top["confidence"]).label,
            top["ts"],
            top["until_ts"],
            tuple(_ev(r) for r in group),
            _ended_by(group),
        )
        for group in _groups(rows, "finding_n")
        for top in group[:1]
    )


def _ended_by(group: Sequence[Row]) -> Evidence | None:
    """The event that ended the interval (the same on every row of one finding)."""
    ends = sorted({(r["end_file"], r["end_line"], r["end_fact"]) for r in group if r["end_file"]})
    return Evidence(*ends[0]) if ends else None


def map_sessions(rows: Sequence[Row]) -> tuple[SessionFinding, ...]:
    """One finding per session id, its evidence in row order."""
    return tuple(
        SessionFinding(
            top["session_id"],
            top["host"],
            Confidence(top["confidence"]).label,
            top["first_exposed"],
            _evidence(group),
        )
        for group in _groups(rows, "session_id")
        for top in group[:1]
    )


def map_hosts(rows: Sequence[Row], members: Sequence[Row]) -> tuple[HostFinding, ...]:
    """One finding per host, with the exposed sessions ``members`` lists for it."""
    sessions: dict[str, list[str]] = defaultdict(list)
    for row in members:
        sessions[row["host"]].append(row["session_id"])
    return tuple(
        HostFinding(
            top["host"],
            Confidence(top["confidence"]).label,
            top["first_exposed"],
            tuple(sessions[top["host"]]),
            _evidence(group),
        )
        for group in _groups(rows, "host")
        for top in group[:1]
    )


def map_cleared(rows: Sequence[Row]) -> tuple[Cleared, ...]:
    """Negative evidence, in query order."""
    return tuple(
        Cleared(
            r["entity"], r["subject"], r["host"], r["package"], r["version"], _ev(r), r["reason"]
        )
        for r in rows
    )
