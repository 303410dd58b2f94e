"""Writing advisories into the store as normalised rows (one per version, window, hash)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import duckdb

from scoper.feeds.model import Advisory, Release
from scoper.store.db import transaction
from scoper.store.load import Row, insert_rows, utc_naive

if TYPE_CHECKING:
    from scoper.engines.base import Connection

ADVISORY_TABLES = (
    "advisory_aliases",
    "advisory_windows",
    "advisory_harvests",
    "affected",
    "advisory_hashes",
    "advisories",
)


def advisory_row(adv: Advisory) -> Row:
    """The ``advisories`` table's row for ``adv``."""
    return {
        "advisory_id": adv.id,
        "summary": adv.summary,
        "published": utc_naive(adv.published),
        "modified": utc_naive(adv.modified),
        "withdrawn": utc_naive(adv.withdrawn),
        "origin": adv.origin,
    }


def save_advisory(con: duckdb.DuckDBPyConnection, adv: Advisory) -> None:
    """Replace the stored rows of ``adv`` (one transaction; the caller need not hold one)."""
    with transaction(con):
        for table in ADVISORY_TABLES:
            con.execute(f"DELETE FROM {table} WHERE advisory_id = ?", [adv.id])
        insert_rows(con, "advisories", None, [advisory_row(adv)])
        insert_rows(
            con,
            "advisory_aliases",
            None,
            [{"advisory_id": adv.id, "alias": a} for a in adv.aliases],
        )
        insert_rows(
            con,
            "advisory_windows",
            None,
            [
                {
                    "advisory_id": adv.id,
                    "start_ts": utc_naive(w.start),
                    "end_ts": utc_naive(w.end),
                    "conservative_end": utc_naive(w.conservative_end),
                }
                for w in adv.windows
            ],
        )
        insert_rows(
            con,
            "advisory_harvests",
            None,
            [{"advisory_id": adv.id, "harvest_class": h} for h in adv.harvests],
        )
        insert_rows(con, "affected", None, affected_rows(adv))
        insert_rows(con, "advisory_hashes", None, hash_rows(adv))


def affected_rows(adv: Advisory) -> list[Row]:
    """One row per affected version (listed or with facts), with its trigger and window."""
    rows: list[Row] = []
    for aff in adv.affected:
        facts = {f.version: f for f in aff.facts}
        for version in dict.fromkeys([*aff.versions, *facts]):
            fact = facts.get(version)
            rows.append(
                {
                    "advisory_id": adv.id,
                    "ecosystem": aff.ecosystem,
                    "name": aff.name,
                    "version": version,
                    "trigger": fact.trigger if fact else aff.default_trigger,
                    "trigger_module": fact.trigger_module if fact else None,
                    "live_from": utc_naive(fact.live_from) if fact else None,
                    "live_until": utc_naive(fact.live_until) if fact else None,
                    "conservative_until": utc_naive(fact.conservative_until) if fact else None,
                }
            )
    return rows


def hash_rows(adv: Advisory) -> list[Row]:
    """One row per known-bad sha256: release artifacts (with their version), then files."""
    rows: list[Row] = []
    for aff in adv.affected:
        for fact in aff.facts:
            rows.extend(
                {
                    "advisory_id": adv.id,
                    "ecosystem": aff.ecosystem,
                    "name": aff.name,
                    "version": fact.version,
                    "sha256": h.sha256.lower(),
                    "filename": h.filename,
                }
                for h in fact.artifacts
            )
    rows.extend(
        {
            "advisory_id": adv.id,
            "ecosystem": None,
            "name": None,
            "version": None,
            "sha256": h.sha256.lower(),
            "filename": h.filename,
        }
        for h in adv.file_hashes
    )
    return rows


def integrity_rows(adv: Advisory) -> list[Row]:
    """One row per artifact digest of an affected package (ossf ``package_integrity``)."""
    return [
        {
            "advisory_id": adv.id,
            "ecosystem": aff.ecosystem,
            "name": aff.name,
            "algorithm": h.algorithm,
            "digest": h.digest,
            "filename": h.filename,
            "trigger": aff.default_trigger,
        }
        for aff in adv.affected
        for h in aff.integrity
    ]


def save_releases(
    con: duckdb.DuckDBPyConnection,
    ecosystem: str,
    name: str,
    releases: tuple[Release, ...],
    origin: str,
) -> None:
    """Replace the stored release history of one package (one transaction)."""
    with transaction(con):
        con.execute("DELETE FROM releases WHERE ecosystem = ? AND name = ?", [ecosystem, name])
        insert_rows(
            con,
            "releases",
            None,
            [
                {
                    "ecosystem": ecosystem,
                    "name": name,
                    "version": r.version,
                    "uploaded_at": utc_naive(r.uploaded_at),
                    "yanked": r.yanked,
                    "removed_at": utc_naive(r.removed_at),
                    "origin": origin,
                }
                for r in releases
            ],
        )


def stored_releases(con: Connection, ecosystem: str, name: str) -> tuple[Release, ...]:
    """The release history fetched into the store for one package (times as UTC)."""
    rows = con.execute(
        "SELECT version, uploaded_at, yanked, removed_at FROM releases "
        "WHERE ecosystem = ? AND name = ? ORDER BY version",
        [ecosystem, name],
    ).fetchall()
    return tuple(
        Release(version, _utc(uploaded), bool(yanked), _utc(removed))
        for version, uploaded, yanked, removed in rows
    )


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value else None
