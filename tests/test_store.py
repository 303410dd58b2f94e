"""The store: migrations, transactions, release history round trip."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from scoper.feeds.model import Release
from scoper.store.advisories import save_releases, stored_releases
from scoper.store.db import connect, transaction
from scoper.store.sql import migrations


def test_release_history_round_trips_and_replaces() -> None:
    con = connect(":memory:")
    first = (
        Release("1.82.6", datetime(2026, 3, 22, 6, 35, tzinfo=UTC)),
        Release("1.82.8", None, yanked=True, removed_at=datetime(2026, 3, 24, 16, tzinfo=UTC)),
    )
    save_releases(con, "PyPI", "litellm", first, "pypi")
    assert stored_releases(con, "PyPI", "litellm") == first
    save_releases(con, "PyPI", "litellm", first[:1], "pypi")
    assert stored_releases(con, "PyPI", "litellm") == first[:1]


def test_a_failed_transaction_leaves_nothing_behind() -> None:
    con = connect(":memory:")
    with pytest.raises(duckdb.Error), transaction(con):
        con.execute("INSERT INTO meta VALUES ('a', 'b')")
        con.execute("INSERT INTO meta VALUES ('a', 'c')")  # duplicate key
    assert con.execute("SELECT count(*) FROM meta WHERE key = 'a'").fetchone() == (0,)


def test_migrations_are_recorded_once() -> None:
    con = connect(":memory:")
    versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()]
    assert versions == sorted(set(versions)) and versions[0] == 1


def test_migration_numbers_are_unique_and_consecutive() -> None:
    """Two files with one number would leave the second one never applied."""
    numbers = [m[0] for m in migrations()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_a_store_from_before_evidence_identity_upgrades_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoper.store import db as store_db

    path = tmp_path / "old.duckdb"
    monkeypatch.setattr(store_db, "migrations", lambda: [m for m in migrations() if m[0] < 5])
    old = connect(path)
    old.execute(
        "INSERT INTO ingests VALUES (1, 'a/pip-freeze.txt', 'abc', 'pip-freeze', now(), 3, 0, "
        "'ok', NULL)"
    )
    old.close()
    monkeypatch.undo()
    con = connect(path)
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchone() == (
        len(migrations()),
    )
    assert con.execute("SELECT path, host FROM ingests").fetchall() == [("a/pip-freeze.txt", None)]
    insert = (
        "INSERT INTO ingests (ingest_id, path, sha256, format, ingested_at, records, skipped, "
        "status, host) VALUES (?, ?, 'abc', 'pip-freeze', now(), 3, 0, 'ok', ?)"
    )
    con.execute(insert, [2, "b/pip-freeze.txt", None])  # same content, another path
    con.execute(insert, [3, "a/pip-freeze.txt", "host2"])  # same content and path, another host
    with pytest.raises(duckdb.ConstraintException):
        con.execute(insert, [4, "a/pip-freeze.txt", None])  # the same evidence again
