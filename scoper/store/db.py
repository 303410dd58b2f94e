"""Opening the DuckDB store and bringing its schema up to date."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from scoper.errors import StoreBusyError, StoreError
from scoper.settings import DEFAULT_DB, MEMORY
from scoper.store.sql import migrations

__all__ = ["DEFAULT_DB", "MEMORY", "connect", "fingerprint_key", "migrate", "transaction"]


def connect(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    now: datetime | None = None,
    wait: float = 0.0,
    on_busy: Callable[[str], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open (and migrate) the store at ``path`` (default ``./scoper.duckdb``).

    ``:memory:`` gives a throwaway store; ``now`` stamps applied migrations. While another
    process holds the store's lock, retry for ``wait`` seconds (telling ``on_busy`` once),
    then raise :class:`StoreBusyError`.
    """
    target = str(path) if path is not None else DEFAULT_DB
    if read_only and target != MEMORY and not Path(target).exists():
        raise StoreError(f"{target}: no scoper database here (run `scoper ingest` first)")
    con = _open(target, read_only and target != MEMORY, wait, on_busy)
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")  # stderr belongs to scoper's own output
    if not (read_only and target != MEMORY):
        migrate(con, now)
    return con


BUSY_POLL = 0.1  # seconds between attempts on a busy store


def _open(
    target: str, read_only: bool, wait: float, on_busy: Callable[[str], None] | None
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            return duckdb.connect(target, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"{target}: cannot open database: {exc}") from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreBusyError(
                    f"{target}: store busy: another process holds its lock "
                    f"(waited {wait:g} s; retry, or pass --wait SECONDS)"
                ) from None
            if on_busy is not None and not told:
                on_busy(f"{target}: store busy, waiting up to {wait:g} s...")
                told = True
            time.sleep(min(BUSY_POLL, left))
        except duckdb.Error as exc:
            raise StoreError(f"{target}: cannot open database: {exc}") from exc


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT, or ROLLBACK on any exception: all or nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def migrate(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> int:
    """Apply pending numbered migrations, each in its own transaction. Returns the version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    current = int(row[0]) if row else 0
    for version, name, text in migrations():
        if version <= current:
            continue
        try:
            with transaction(con):
                con.execute(text)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [
                        version,
                        name,
                        (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None),
                    ],
                )
        except duckdb.Error as exc:
            raise StoreError(f"migration {version} ({name}) failed: {exc}") from exc
        current = version
    return current


def fingerprint_key(con: duckdb.DuckDBPyConnection, override: str | None = None) -> bytes:
    """The store's secret key for credential fingerprints (``override`` wins, from
    ``Settings.fingerprint_key``).

    Created at random on first use, so fingerprints correlate within a store
    but cannot be brute-forced from outside it.
    """
    if override:
        return override.encode("utf-8")
    row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint_key'").fetchone()
    if row:
        return str(row[0]).encode("utf-8")
    key = secrets.token_hex(16)
    con.execute("INSERT INTO meta VALUES ('fingerprint_key', ?)", [key])
    return key.encode("utf-8")
