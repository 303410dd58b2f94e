"""prepare: the advisory staged as TEMP rows, matched once per distinct version and spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scoper import api
from scoper.feeds.model import Advisory, Affected, FileHash, OsvRange, Release, VersionFacts
from scoper.scope.confidence import Confidence
from scoper.scope.prepare import prepare
from scoper.store.db import connect

T10, T12, T14, T16 = (datetime(2026, 3, 24, h) for h in (10, 12, 14, 16))
WHEEL, PTH = "AB" * 32, "cd" * 32


def _utc(naive: datetime) -> datetime:
    return naive.replace(tzinfo=UTC)


DEMO = Affected(
    "PyPI",
    "demo",
    versions=("2.0",),
    ranges=(OsvRange("ECOSYSTEM", (("introduced", "2.0.5"), ("fixed", "2.1"))),),
    facts=(
        VersionFacts(
            "2.0",
            trigger="startup",
            live_from=_utc(T10),
            live_until=_utc(T12),
            conservative_until=_utc(T14),
            artifacts=(FileHash(WHEEL, "demo-2.0-py3-none-any.whl"),),
        ),
    ),
    releases=(Release("1.0", None), Release("2.0", _utc(T10)), Release("2.1", _utc(T16))),
)
ADVISORY = Advisory(
    "demo-1",
    "test",
    affected=(DEMO,),
    harvests=("env", "ssh"),
    file_hashes=(FileHash(PTH, "demo.pth"),),
)


def _install(ts: str, **fields: Any) -> dict[str, Any]:
    return {
        "ts": f"2026-03-24T{ts}:00Z",
        "session": "s1",
        "host": "h1",
        "event": "install",
        "package": "demo",
        "environment": "/venv",
        **fields,
    }


EVENTS = [
    {"ts": "2026-03-24T09:00:00Z", "session": "s1", "host": "h1", "event": "session_start"},
    _install("10:10", version="2.0.0"),
    _install("10:20", version="1.0"),
    _install("10:30", version="2.0.7"),
    _install("10:40", spec=">=1.0"),
    _install("10:50"),
    _install("11:00", spec="<2"),
    _install("11:10", package="other", version="2.0"),
]


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    db = str(tmp_path / "s.duckdb")
    assert not api.ingest([log], db=db).failed
    connection = connect(db)
    yield connection
    connection.close()


def _table(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(con.execute(sql).fetchall(), key=repr)


def test_distinct_versions_matched_once_each(con: duckdb.DuckDBPyConnection) -> None:
    assert prepare(con, ADVISORY) == []
    assert _table(con, "SELECT * FROM scope_version_match") == [
        ("PyPI", "demo", "2.0.0", "2.0", "startup", None),  # the fact's version, PEP 440-equal
        ("PyPI", "demo", "2.0.7", "2.0.7", "install", None),  # in the range; default trigger
    ]


def test_unpinned_specs_become_intervals(con: duckdb.DuckDBPyConnection) -> None:
    prepare(con, ADVISORY)
    likely, possible = int(Confidence.LIKELY), int(Confidence.POSSIBLE)
    spec_match = "SELECT ecosystem, name, spec, valid_from, valid_until, version, confidence"
    assert _table(con, f"{spec_match} FROM scope_spec_match ORDER BY spec, valid_from") == [
        ("PyPI", "demo", "", T10, T12, "2.0", likely),
        ("PyPI", "demo", "", T12, T14, "2.0", possible),
        ("PyPI", "demo", ">=1.0", T10, T12, "2.0", likely),
        ("PyPI", "demo", ">=1.0", T12, T14, "2.0", possible),
    ]


def test_advisory_rows_are_staged(con: duckdb.DuckDBPyConnection) -> None:
    prepare(con, ADVISORY)
    assert _table(con, "SELECT * FROM scope_names") == [("PyPI", "demo")]
    assert _table(con, "SELECT ecosystem, name, version, trigger FROM scope_bad") == [
        ("PyPI", "demo", "2.0", "startup")
    ]
    assert _table(con, "SELECT * FROM scope_harvests") == [("env",), ("ssh",)]
    assert _table(con, "SELECT * FROM scope_hash_match") == [("sha256", WHEEL.lower(), "2.0")]
    assert _table(con, "SELECT name, sha256, filename FROM scope_hashes") == [
        ("demo", WHEEL.lower(), "demo-2.0-py3-none-any.whl"),
        (None, PTH, "demo.pth"),
    ]


def test_no_release_history_warns_and_a_second_run_replaces(
    con: duckdb.DuckDBPyConnection,
) -> None:
    prepare(con, ADVISORY)
    bare = Affected("PyPI", "demo", versions=("2.0",))
    warnings = prepare(con, Advisory("demo-2", "test", affected=(bare,)))
    assert warnings == [
        "no release history for PyPI/demo: installs without a recorded version are "
        "judged 'possible' at most"
    ]
    assert _table(con, "SELECT version, trigger FROM scope_bad") == [("2.0", "install")]
    assert _table(con, "SELECT * FROM scope_harvests") == []
    assert _table(con, "SELECT * FROM scope_spec_match") == []  # nothing to infer from
