"""scoper-events files loaded in bounded chunks: numbering, grouping and atomicity across them."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from scoper import limits
from scoper.ingest import Ingester
from scoper.sources.audit import events_chunks
from scoper.sources.audit.events_chunks import chunks
from scoper.store.db import connect


def _line(ts: str, **fields: Any) -> str:
    return json.dumps({"ts": f"2026-03-24T10:00:{ts}Z", "session": "s", **fields})


def _lines() -> list[str]:
    body = [
        _line(f"{i % 60:02d}", event="exec", program="python", command=f"python {i}.py")
        for i in range(300)
    ]
    return [
        _line("00", event="session_start", host="h", kind="agent"),
        "",
        *body[:150],
        "not json",
        "\u00e9\x1f",  # 0x1F inside a line: that block is split exactly, not by the CSV reader
        *body[150:],
        json.dumps(
            {
                "ts": "2026-03-24T10:00:00Z",
                "event": "identity",
                "rule": "owner",
                "from_kind": "key-id",
                "from_value": "AKIAEXAMPLE000000001",
                "to_kind": "principal",
                "to_value": "alice",
            }
        ),
        _line("59", event="session_end"),
    ]


def test_lines_are_numbered_exactly_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    lines = _lines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = [row for table in chunks(path, "none", 100, size=512) for row in table.to_pylist()]
    assert [row["line"] for row in got] == list(range(1, len(lines) + 1))
    assert [row["j"] for row in got] == lines


def test_gzip_and_a_missing_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl.gz"
    path.write_bytes(gzip.compress(b"a\r\n\nb\nlast"))
    got = [row for table in chunks(path, "gzip", 10, size=4) for row in table.to_pylist()]
    assert [(row["line"], row["j"]) for row in got] == [(1, "a"), (2, ""), (3, "b"), (4, "last")]


def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of about 1 KiB: lines of at most 600 bytes, so no chunk need be larger."""
    monkeypatch.setattr(events_chunks, "CHUNK_BYTES", 1024)
    monkeypatch.setattr(limits, "_current", [dataclasses.replace(limits.current(), max_line=600)])


def test_a_session_split_over_chunks_is_one_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    stores = []
    for small in (False, True):
        if small:
            _small_chunks(monkeypatch)
        con = connect(":memory:")
        result = Ingester(con).ingest(path)
        assert result.status == "partial" and result.skipped == 2
        stores.append(
            (
                con.execute(
                    "SELECT session_id, started_at, ended_at, source_line FROM sessions"
                ).fetchall(),
                con.execute("SELECT source_line, command FROM events ORDER BY 1").fetchall(),
                con.execute("SELECT source_line, reason FROM skipped ORDER BY 1").fetchall(),
                con.execute("SELECT source_line FROM identity_links").fetchall(),
            )
        )
    assert stores[0] == stores[1]
    sessions, events, skipped, links = stores[1]
    assert len(sessions) == 1 and sessions[0][3] == 1
    assert [line for line, _ in events] == [*range(3, 153), *range(155, 305)]
    assert [line for line, _ in skipped] == [153, 154]
    assert links == [(305,)]


def test_a_file_refused_after_many_chunks_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_chunks(monkeypatch)
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(_lines()) + '\n{"ts": "2026-03', encoding="utf-8")
    con = connect(":memory:")
    result = Ingester(con).ingest(path)
    assert result.status == "error" and "truncated" in (result.error or "")
    for table in ("events", "sessions", "skipped", "identity_links", "ingests"):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
