"""scoper's own audit-event format: JSON Lines, loaded by DuckDB (docs/event-format.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from scoper.errors import InputError
from scoper.model import AliasKind, LinkRule, Records
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


def _load(
    con: duckdb.DuckDBPyConnection, path: Path, ready: Prepared, ctx: ParseContext, ingest_id: int
) -> LoadReport:
    """Stage and load the prepared file; lines skipped in preparing are recorded too."""
    values = stage(con, str(ready.path), ready.compression, ctx.fingerprint_key)
    list_secret_aliases(con)
    run(con, "jsonl_problems", _CHECKS, SQL)
    counts = con.execute(query("jsonl_counts", SQL)).fetchone()
    assert counts is not None
    lines, bad = int(counts[0]), int(counts[1])
    _refuse_broken(path, ctx, lines, bad, (counts[2], counts[3]), (counts[4], counts[5]))
    run(con, "jsonl_skip", {"ingest_id": ingest_id, "file": ctx.display}, SQL)
    _skip_prepared(con, ingest_id, ctx.display, ready.skipped)
    map_values(con, values)
    run(con, "jsonl_load", {"ingest_id": ingest_id, "file": ctx.display}, SQL)
    drop_maps(con)
    con.execute("DROP TABLE scoper_jsonl")
    broken = check_chain(con, path, ctx.display, ingest_id)
    return LoadReport(records=lines - bad, skipped=bad + len(ready.skipped) + broken)


def _skip_prepared(
    con: duckdb.DuckDBPyConnection, ingest_id: int, file: str, skipped: list[tuple[int, str]]
) -> None:
    rows = [{"source_file": file, "source_line": line, "reason": why} for line, why in skipped]
    insert_rows(con, "skipped", ingest_id, rows)


def _refuse_broken(
    path: Path,
    ctx: ParseContext,
    lines: int,
    bad: int,
    first: tuple[int | None, str | None],
    last: tuple[int | None, str | None],
) -> None:
    """A file cut off mid-record, or with no usable line at all, is an error, not a skip."""
    if lines and bad == lines:
        raise InputError(ctx.display, f"not scoper-events JSONL: {first[1]}", f"line {first[0]}")
    if not bad or last[1] != "not a JSON object":
        return
    data = read_bytes(path, ctx.display)
    if data and not data.endswith(b"\n") and last[0] == data.count(b"\n") + 1:
        raise InputError(ctx.display, "truncated: file ends inside a record", f"line {last[0]}")


SOURCE = EventsJsonl()
