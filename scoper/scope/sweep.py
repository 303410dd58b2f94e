"""``scoper scope --advisory all``: every known advisory over the store, one row each.

The advisory-independent views are built once (:func:`~scoper.scope.chain.prepare_store`)
and the chain's per-advisory steps reuse them; the store's counts are measured once.
Each row says whether the store covers the advisory; the full results are kept for the
advisories with findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import duckdb

from scoper.feeds.model import Advisory
from scoper.scope.asof import Known, advisory_at
from scoper.scope.chain import prepare_store, scope
from scoper.scope.coverage import StoreCounts
from scoper.scope.result import ScopeResult


class SweepStatus(StrEnum):
    """One advisory's outcome in a sweep."""

    EXPOSED = "exposed"  # findings
    CLEAR = "clear"  # nothing found, and the store covers the advisory
    NO_DATA = "no-data"  # nothing found, and the store does not cover it (exit 4)
    NOT_PUBLISHED = "not-published"  # --as-of before its publication
    WITHDRAWN = "withdrawn"  # --as-of after its withdrawal


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One advisory's summary: counts of exposed entities, and whether it was covered."""

    advisory: str
    aliases: tuple[str, ...]
    status: SweepStatus
    environments: int = 0
    sessions: int = 0
    hosts: int = 0
    credentials: int = 0
    covered: bool | None = None  # None: not evaluated (not yet published / withdrawn)
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SweepResult:
    """The rows in advisory order, and the full results of those with findings."""

    rows: tuple[SweepRow, ...]
    reports: tuple[ScopeResult, ...]
    as_of: datetime | None = None

    def has_findings(self) -> bool:
        return any(r.status is SweepStatus.EXPOSED for r in self.rows)

    def uncovered(self) -> bool:
        return any(r.status is SweepStatus.NO_DATA for r in self.rows)


def sweep(
    con: duckdb.DuckDBPyConnection,
    advisories: Sequence[Advisory],
    counts: StoreCounts,
    mapping: Path | None = None,
    as_of: datetime | None = None,
) -> SweepResult:
    """Scope each of ``advisories`` (as known at ``as_of``, when given) over the store."""
    prepare_store(con)
    rows: list[SweepRow] = []
    reports: list[ScopeResult] = []
    for adv in sorted(advisories, key=lambda a: a.id):
        if as_of is not None:
            known = advisory_at(adv, as_of)
            if known.state is not Known.KNOWN:
                status = SweepStatus(known.state.value)
                rows.append(SweepRow(adv.id, adv.aliases, status, reasons=(known.reason or "",)))
                continue
            adv = known.advisory
        result = scope(con, adv, counts, mapping, prepared=True)
        rows.append(summary_row(result))
        if result.has_findings():
            reports.append(result)
    return SweepResult(tuple(rows), tuple(reports), as_of)


def summary_row(result: ScopeResult) -> SweepRow:
    """The sweep row of one scope result."""
    if result.has_findings():
        status = SweepStatus.EXPOSED
    else:
        status = SweepStatus.NO_DATA if result.uncovered() else SweepStatus.CLEAR
    cover = result.coverage
    return SweepRow(
        result.advisory.id,
        result.advisory.aliases,
        status,
        len(result.environments),
        len(result.sessions),
        len(result.hosts),
        len(result.credentials),
        cover.covered if cover is not None else None,
        cover.reasons if cover is not None else (),
    )
