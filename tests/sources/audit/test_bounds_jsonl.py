"""The bulk scoper-events loader within limits: long lines, invalid UTF-8, UTF-16, bombs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scoper.ingest import Ingester
from scoper.limits import MIB, Limits
from scoper.store.db import connect

SMALL = Limits(max_bytes=4 * MIB, ratio_floor=1 * MIB, max_line=64 * 1024)


def _line(**fields: object) -> bytes:
    record = {"ts": "2026-03-24T10:00:00Z", "session": "s", "event": "exec", **fields}
    return json.dumps(record).encode()


def _lines(*middle: bytes) -> bytes:
    start = _line(event="session_start", host="h", kind="agent")
    return b"\n".join([start, *middle, _line(command="pip install x")]) + b"\n"


def _load(path: Path, limits: Limits = SMALL) -> tuple[list[tuple[int, str]], int]:
    con = connect(":memory:")
    result = Ingester(con, limits=limits).ingest(path)
    assert result.status == "partial", result
    rows = con.execute("SELECT source_line, reason FROM skipped ORDER BY source_line").fetchall()
    events = con.execute("SELECT count(*) FROM events").fetchone()
    return rows, int(events[0]) if events else 0


@pytest.mark.parametrize("packed", [False, True])
def test_a_long_line_is_skipped_by_number_and_the_rest_loaded(tmp_path: Path, packed: bool) -> None:
    body = _lines(_line(command="x" * (100 * 1024)), _line(command="ls"))
    path = tmp_path / ("e.jsonl.gz" if packed else "e.jsonl")
    path.write_bytes(gzip.compress(body) if packed else body)
    skipped, events = _load(path)
    assert skipped == [(2, "line longer than 0.0625 MiB, skipped")]
    assert events >= 2


def test_lines_of_a_few_mib_within_the_limit_load(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_bytes(_lines(_line(command="x" * (3 * MIB)), b"\xff\xfe not utf-8"))
    skipped, events = _load(path, Limits())
    assert skipped == [(3, "not valid UTF-8, skipped")]
    assert events >= 2


def test_utf16_events_are_transcoded(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_bytes(_lines(b"not json").decode().encode("utf-16"))
    skipped, events = _load(path)
    assert [line for line, _ in skipped] == [2]
    assert events >= 1


def test_a_bomb_is_refused_before_duckdb_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl.gz"
    path.write_bytes(gzip.compress(_lines(b"\n" * (3 * MIB))))
    con = connect(":memory:")
    result = Ingester(con, limits=SMALL).ingest(path)
    assert result.status == "error" and "gzip expands past" in (result.error or "")
    assert con.execute("SELECT count(*) FROM ingests").fetchone() == (0,)
