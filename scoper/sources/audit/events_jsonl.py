"""scoper's own audit-event format: JSON Lines, loaded by DuckDB (docs/event-format.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scoper.errors import InputError
from scoper.limits import current
from scoper.model import AliasKind, LinkRule, Records
from scoper.sources.audit.events_chunks import chunks
from scoper.sources.audit.events_prepare import Prepared, prepared
from scoper.sources.audit.events_trail import check_chain
from scoper.sources.audit.events_values import (
    SQL,
    drop_maps,
    list_secret_aliases,
    map_values,
    stage,
)
from scoper.sources.base import FileSource, LoadReport, ParseContext, SourceKind
from scoper.sources.reading import read_bytes
from scoper.store.load import insert_rows
from scoper.store.sql import query, run

if TYPE_CHECKING:
    import duckdb

EVENT_TYPES = frozenset(
    {
        "session_start",
        "session_end",
        "install",
        "uninstall",
        "exec",
        "import",
        "network",
        "file",
        "credential",
        "credential_use",
        "identity",
        "env_end",
        "trail",  # a recorded trail file's header (scoper/record/chain.py): no evidence
    }
)
# What sql/jsonl_problems.sql checks lines against.
_CHECKS = {
    "events": sorted(EVENT_TYPES),
    "rules": sorted(rule.value for rule in LinkRule),
    "kinds": sorted(kind.value for kind in AliasKind),
}


def _first_object(head: bytes) -> dict[str, object] | None:
    for raw in head.splitlines()[:5]:
        line = raw.strip()
        if not line:
            continue
        try:
            value = json.loads(line)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        return value if isinstance(value, dict) else None
    return None


class EventsJsonl(FileSource):
    """Session, install, exec, import, credential and identity events written by agent and CI
    platforms."""

    name = "scoper-events"
    kind: SourceKind = "audit"
    obtained = (
        "written by your own exporter in the format of docs/event-format.md (e.g. a SIEM "
        "query's results mapped to it)"
    )
    summary = "scoper audit events, JSON Lines (one event per line)"
    reads = (
        "sessions (host, kind, actor, image digest, environment, start/end), install/uninstall "
        "with version or specifier, exec, import, network events, credentials present "
        "(values fingerprinted and dropped), credential uses (key id, token id, bound pod), "
        "identity links between a credential's names"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        first = _first_object(head)
        event = first.get("event") if first is not None else None
        return isinstance(event, str) and event in EVENT_TYPES and "ts" in (first or {})

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        raise InputError(ctx.display, "scoper-events is loaded in bulk; use load()")

    def load(
        self, con: duckdb.DuckDBPyConnection, path: Path, ctx: ParseContext, ingest_id: int
    ) -> LoadReport:
        with prepared(path, ctx.display) as ready:
            return _load(con, path, ready, ctx, ingest_id)


@dataclass
class _Tally:
    """Lines staged and unusable over all chunks, with the first and last unusable line."""

    lines: int = 0
    bad: int = 0
    first: tuple[int | None, str | None] = (None, None)
    last: tuple[int | None, str | None] = (None, None)

    def add(self, counts: tuple[Any, ...]) -> None:
        self.lines += int(counts[0])
        bad = int(counts[1])
        if bad and not self.bad:
            self.first = (counts[2], counts[3])
        if bad:
            self.last = (counts[4], counts[5])
        self.bad += bad


def _load(
    con: duckdb.DuckDBPyConnection, path: Path, ready: Prepared, ctx: ParseContext, ingest_id: int
) -> LoadReport:
    """Stage, check and load the prepared file chunk by chunk, inside the caller's transaction
    (a refused file stores nothing); lines skipped in preparing are recorded too."""
    where = {"ingest_id": ingest_id, "file": ctx.display}
    tally, memo = _Tally(), dict[str, str]()
    run(con, "jsonl_begin", {}, SQL)
    for lines in chunks(ready.path, ready.compression, current().max_line):
        values = stage(con, lines, ctx.fingerprint_key)
        del lines
        list_secret_aliases(con)
        run(con, "jsonl_problems", _CHECKS, SQL)
        counts = con.execute(query("jsonl_counts", SQL)).fetchone()
        assert counts is not None
        tally.add(counts)
        run(con, "jsonl_skip", where, SQL)
        map_values(con, values, memo)
        run(con, "jsonl_load", where, SQL)
        drop_maps(con)
        con.execute("DROP TABLE scoper_jsonl")
    _refuse_broken(path, ctx, tally)
    run(con, "jsonl_finish", where, SQL)
    _skip_prepared(con, ingest_id, ctx.display, ready.skipped)
    broken = check_chain(con, path, ctx.display, ingest_id)
    skipped = tally.bad + len(ready.skipped) + broken
    return LoadReport(records=tally.lines - tally.bad, skipped=skipped)


def _skip_prepared(
    con: duckdb.DuckDBPyConnection, ingest_id: int, file: str, skipped: list[tuple[int, str]]
) -> None:
    rows = [{"source_file": file, "source_line": line, "reason": why} for line, why in skipped]
    insert_rows(con, "skipped", ingest_id, rows)


def _refuse_broken(path: Path, ctx: ParseContext, tally: _Tally) -> None:
    """A file cut off mid-record, or with no usable line at all, is an error, not a skip."""
    first, last = tally.first, tally.last
    if tally.lines and tally.bad == tally.lines:
        raise InputError(ctx.display, f"not scoper-events JSONL: {first[1]}", f"line {first[0]}")
    if not tally.bad or last[1] != "not a JSON object":
        return
    data = read_bytes(path, ctx.display)
    if data and not data.endswith(b"\n") and last[0] == data.count(b"\n") + 1:
        raise InputError(ctx.display, "truncated: file ends inside a record", f"line {last[0]}")


SOURCE = EventsJsonl()
