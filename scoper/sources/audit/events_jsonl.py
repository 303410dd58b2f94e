"""scoper's own audit-event format: JSON Lines, loaded by DuckDB (docs/event-format.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import FileSource, LoadReport, ParseContext, SourceKind
from scoper.sources.reading import is_gzip, read_bytes
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
    }
)


def _first_object(head: bytes) -> dict[str, object] | None:
    for raw in head.splitlines()[:5]:
        line = raw.strip()
        if not line:
            continue
        try:
            value = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            return None
        return value if isinstance(value, dict) else None
    return None


class EventsJsonl(FileSource):
    """Session, install, exec, import and credential events written by agent and CI platforms."""

    name = "scoper-events"
    kind: SourceKind = "audit"
    summary = "scoper audit events, JSON Lines (one event per line)"
    reads = (
        "sessions (host, kind, actor, image digest, environment, start/end), install/uninstall "
        "with version or specifier, exec, import, network events, credentials present "
        "(values fingerprinted and dropped), credential uses"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        first = _first_object(head)
        return first is not None and first.get("event") in EVENT_TYPES and "ts" in first

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        raise InputError(ctx.display, "scoper-events is loaded in bulk; use load()")

    def load(
        self, con: duckdb.DuckDBPyConnection, path: Path, ctx: ParseContext, ingest_id: int
    ) -> LoadReport:
        compression = "gzip" if is_gzip(path) else "none"
        key = ctx.fingerprint_key.decode()
        run(con, "jsonl_stage", {"path": str(path), "compression": compression, "key": key})
        problems_sql = query("jsonl_problems").strip().rstrip(";")
        con.execute(f"CREATE OR REPLACE TEMP TABLE scoper_jsonl_problems AS {problems_sql}")
        counts = con.execute(
            "SELECT (SELECT count(*) FROM scoper_jsonl), count(*), arg_min(line, line), "
            "arg_min(reason, line), max(line), arg_max(reason, line) FROM scoper_jsonl_problems"
        ).fetchone()
        assert counts is not None
        lines, bad = int(counts[0]), int(counts[1])
        _refuse_broken(path, ctx, lines, bad, (counts[2], counts[3]), (counts[4], counts[5]))
        con.execute(
            "INSERT INTO skipped (ingest_id, source_file, source_line, reason) "
            "SELECT ?, ?, line, reason FROM scoper_jsonl_problems",
            [ingest_id, ctx.display],
        )
        run(con, "jsonl_load", {"ingest_id": ingest_id, "file": ctx.display})
        _classify_credentials(con, ingest_id)
        con.execute("DROP TABLE scoper_jsonl; DROP TABLE scoper_jsonl_problems")
        return LoadReport(records=lines - bad, skipped=bad)


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


def _classify_credentials(con: duckdb.DuckDBPyConnection, ingest_id: int) -> None:
    """Fill kind and harvest class for credentials that did not state them (distinct names)."""
    from scoper.sources.audit.commands.credentials import classify_env, classify_path

    rows = con.execute(
        "SELECT DISTINCT name, coalesce(path, '') FROM credentials "
        "WHERE ingest_id = ? AND (kind = '' OR harvest_class = '')",
        [ingest_id],
    ).fetchall()
    updates = []
    for name, cred_path in rows:
        found = (classify_path(cred_path) if cred_path else None) or classify_env(name)
        kind, harvest = found or ("generic-secret", "file" if cred_path else "env")
        updates.append((kind, harvest, ingest_id, name, cred_path))
    if updates:
        con.executemany(
            "UPDATE credentials SET kind = CASE WHEN kind = '' THEN ? ELSE kind END, "
            "harvest_class = CASE WHEN harvest_class = '' THEN ? ELSE harvest_class END "
            "WHERE ingest_id = ? AND name = ? AND coalesce(path, '') = ?",
            updates,
        )


SOURCE = EventsJsonl()
