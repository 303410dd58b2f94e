"""A scope run stages its advisory in TEMP tables: the store's advisory tables stay as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from scoper import api
from scoper.feeds.bundled import require
from scoper.scope.chain import scope
from scoper.store.advisories import ADVISORY_TABLES, save_advisory
from scoper.store.db import connect

EVENTS = [
    {"ts": "2026-03-24T11:00:00Z", "session": "s1", "host": "h1", "event": "session_start"},
    {
        "ts": "2026-03-24T11:01:00Z",
        "session": "s1",
        "host": "h1",
        "event": "install",
        "package": "litellm",
        "version": "1.82.8",
        "environment": "/venv",
    },
]


def _ingested(tmp_path: Path) -> str:
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    db = str(tmp_path / "s.duckdb")
    assert not api.ingest([log], db=db).failed
    return db


def _advisory_tables(db: str) -> dict[str, list[tuple[Any, ...]]]:
    con = connect(db)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall()) for t in ADVISORY_TABLES}
    finally:
        con.close()


def test_scope_leaves_empty_advisory_tables_empty(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    result = api.scope("litellm-2025", db=db)
    assert [s.session_id for s in result.sessions] == ["s1"]
    assert _advisory_tables(db) == {table: [] for table in ADVISORY_TABLES}


def test_scope_keeps_advisory_rows_stored_before(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    con = connect(db)
    try:
        save_advisory(con, require("nx-2025"))
    finally:
        con.close()
    before = _advisory_tables(db)
    assert before["advisories"] and before["affected"]
    api.scope("litellm-2025", db=db)
    api.scope("nx-2025", db=db)
    assert _advisory_tables(db) == before


def test_scope_tables_are_temporary(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    api.scope("litellm-2025", db=db)
    con = connect(db)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    finally:
        con.close()
    assert not {n for n in tables | views if n.startswith("scope_")}


def test_scope_runs_on_a_read_only_store(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    con = duckdb.connect(db, read_only=True)
    try:
        result = scope(con, require("litellm-2025"))
    finally:
        con.close()
    assert [(s.session_id, s.confidence) for s in result.sessions] == [("s1", "possible")]
