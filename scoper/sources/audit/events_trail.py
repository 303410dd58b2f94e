"""A recorded trail's hash chain, checked when scoper-events loads it (docs/recording.md).

A file whose first line is a ``trail`` header was written by ``scoper record``; its chain is
walked (:mod:`scoper.record.chain`, standard library only) and a break is stored in
``trail_breaks`` and reported as a skipped entry at its line, so the ingest is *partial* and
says where. Signatures need the recording host's key: ``scoper trail verify --key``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from scoper.record.chain import HEADER_EVENT, iter_lines, verify_lines
from scoper.sources.reading import read_bytes, read_head
from scoper.store.load import insert_rows

if TYPE_CHECKING:
    import duckdb

UNTRUSTED = "evidence from this line on is not trusted as recorded"


def is_trail(first_line: bytes) -> bool:
    """Whether a file's first line is a recorded trail's header."""
    try:
        head = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(head, dict) and head.get("event") == HEADER_EVENT


def check_chain(con: duckdb.DuckDBPyConnection, path: Path, display: str, ingest_id: int) -> int:
    """Check a trail's chain; 1 when it breaks (a break row and a skipped row written)."""
    if not is_trail(read_head(path).split(b"\n", 1)[0]):
        return 0
    data = read_bytes(path, display)
    verdict = verify_lines(display, iter_lines(data), None)
    if verdict.intact or verdict.broken_at is None:
        return 0
    reason = f"trail chain breaks: {verdict.reason}; {UNTRUSTED}"
    row = {"source_file": display, "source_line": verdict.broken_at, "reason": verdict.reason}
    insert_rows(con, "trail_breaks", ingest_id, [row])
    skip = {"source_file": display, "source_line": verdict.broken_at, "reason": reason}
    insert_rows(con, "skipped", ingest_id, [skip])
    return 1
