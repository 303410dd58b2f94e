"""The store: migrations, transactions, release history round trip."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from scoper.feeds.model import Release
from scoper.store.advisories import save_releases, stored_releases
from scoper.store.db import connect, transaction


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
