"""Imported advisories in the store: the OSV record as read (``advisory_records``) and
its normalised rows (``advisories``, ``affected``, ...), written for a whole import in
one transaction: a failed import leaves the store as it was."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from scoper.feeds.model import Advisory
from scoper.store.advisories import advisory_row, affected_rows, hash_rows
from scoper.store.db import transaction
from scoper.store.load import Row, insert_rows, utc_naive
from scoper.store.sql import query, statements

TABLE = "advisory_records"


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One record to store: the parsed advisory, the record as read (a JSON value, or its
    JSON text as read), the import path."""

    advisory: Advisory
    record: Any
    source: str


@dataclass(frozen=True, slots=True)
class SourceCount:
    """How many imported records one import path holds, and how many are withdrawn."""

    source: str
    records: int
    withdrawn: int


def save_records(
    con: duckdb.DuckDBPyConnection, records: Sequence[StoredRecord], now: datetime
) -> None:
    """Replace the stored rows of each record's id (all in one transaction)."""
    ids = [r.advisory.id for r in records]
    advisories = [r.advisory for r in records]
    with transaction(con):
        for statement in statements("advisory_records_delete"):
            con.execute(statement, {"ids": ids})
        insert_rows(con, TABLE, None, [_record_row(r, now) for r in records])
        insert_rows(con, "advisories", None, [advisory_row(a) for a in advisories])
        insert_rows(con, "advisory_aliases", None, _alias_rows(advisories))
        insert_rows(con, "advisory_windows", None, _window_rows(advisories))
        insert_rows(con, "advisory_harvests", None, _harvest_rows(advisories))
        insert_rows(con, "affected", None, [row for a in advisories for row in affected_rows(a)])
        insert_rows(con, "advisory_hashes", None, [row for a in advisories for row in hash_rows(a)])


def stored_records(con: duckdb.DuckDBPyConnection) -> list[tuple[str, Any]]:
    """(origin, record) of every imported advisory, by id; none before the table exists."""
    if not has_records(con):
        return []
    return [(origin, json.loads(text)) for origin, text in con.execute(query(TABLE)).fetchall()]


def find_record(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, Any] | None:
    """(origin, record) of the imported advisory with id ``name``, else with that alias."""
    if not has_records(con):
        return None
    row = con.execute(query("advisory_record_find"), {"name": name.strip()}).fetchone()
    return (row[0], json.loads(row[1])) if row else None


def source_counts(con: duckdb.DuckDBPyConnection) -> list[SourceCount]:
    """Imported records per import path."""
    if not has_records(con):
        return []
    rows = con.execute(query("advisory_sources")).fetchall()
    return [SourceCount(source, int(n), int(w)) for source, n, w in rows]


def has_records(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store has the imported-advisory table (a current schema)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'",
        [TABLE],
    ).fetchone()
    return bool(found and found[0])


def _record_row(item: StoredRecord, now: datetime) -> Row:
    adv = item.advisory
    return {
        "advisory_id": adv.id,
        "source": item.source,
        "origin": adv.origin,
        "published": utc_naive(adv.published),
        "modified": utc_naive(adv.modified),
        "withdrawn": utc_naive(adv.withdrawn),
        "imported_at": utc_naive(now),
        "record": item.record if isinstance(item.record, str) else json.dumps(item.record),
    }


def _alias_rows(advisories: Sequence[Advisory]) -> list[Row]:
    return [{"advisory_id": a.id, "alias": alias} for a in advisories for alias in a.aliases]


def _window_rows(advisories: Sequence[Advisory]) -> list[Row]:
    return [
        {
            "advisory_id": a.id,
            "start_ts": utc_naive(w.start),
            "end_ts": utc_naive(w.end),
            "conservative_end": utc_naive(w.conservative_end),
        }
        for a in advisories
        for w in a.windows
    ]


def _harvest_rows(advisories: Sequence[Advisory]) -> list[Row]:
    return [{"advisory_id": a.id, "harvest_class": h} for a in advisories for h in a.harvests]
