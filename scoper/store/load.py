"""Bulk-loading parsed records into the canonical tables through Arrow (no row INSERTs)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb

from scoper.model import (
    Artifact,
    ArtifactFile,
    Credential,
    CredentialUse,
    Event,
    IdentityLink,
    Package,
    Records,
    Session,
    Skipped,
)

Row = dict[str, Any]


def utc_naive(value: datetime | None) -> datetime | None:
    """A timezone-aware datetime as naive UTC for TIMESTAMP columns."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def artifact_id(prefix: str, key: str) -> str:
    """Global artifact id: the ingest's prefix (one per evidence identity, see
    ``scoper.evidence.Identity``) plus the parser's local key."""
    return f"{prefix}/{key}" if key else prefix


def _artifact_row(a: Artifact, prefix: str) -> Row:
    return {
        "artifact_id": artifact_id(prefix, a.key),
        "kind": a.kind,
        "name": a.name,
        "digest": a.digest,
        "created_at": utc_naive(a.created_at),
        "host": a.host,
        "environment": a.environment,
        "source_file": a.origin.file,
        "source_line": a.origin.line,
    }


def _package_row(seq: int, p: Package, prefix: str) -> Row:
    return {
        "package_seq": seq,
        "artifact_id": artifact_id(prefix, p.artifact_key),
        "ecosystem": p.ecosystem,
        "name": p.name,
        "display_name": p.display_name,
        "version": p.version,
        "spec": p.spec,
        "purl": p.purl,
        "direct": p.direct,
        "groups": ",".join(p.groups) or None,
        "commit": p.commit,
        "source_url": p.source_url,
        "location": p.location,
        "source_file": p.origin.file,
        "source_line": p.origin.line,
    }


def _hash_rows(seq: int, p: Package) -> list[Row]:
    rows = []
    for text in p.hashes:
        algorithm, _, digest = text.partition(":")
        if digest:
            rows.append(
                {"package_seq": seq, "algorithm": algorithm.lower(), "digest": digest.lower()}
            )
    return rows


def _file_row(f: ArtifactFile, prefix: str) -> Row:
    return {
        "artifact_id": artifact_id(prefix, f.artifact_key),
        "path": f.path,
        "kind": f.kind,
        "sha256": f.sha256,
        "source_file": f.origin.file,
        "source_line": f.origin.line,
    }


def _session_row(s: Session) -> Row:
    return {
        "session_id": s.session_id,
        "host": s.host,
        "kind": s.kind,
        "actor": s.actor,
        "started_at": utc_naive(s.started_at),
        "ended_at": utc_naive(s.ended_at),
        "image_digest": s.image_digest,
        "environment": s.environment,
        "address": s.address,
        "source_file": s.origin.file,
        "source_line": s.origin.line,
    }


def _event_row(e: Event) -> Row:
    return {
        "ts": utc_naive(e.ts),
        "session_id": e.session_id,
        "host": e.host,
        "kind": e.kind,
        "ecosystem": e.ecosystem,
        "package": e.package,
        "version": e.version,
        "spec": e.spec,
        "environment": e.environment,
        "module": e.module,
        "program": e.program,
        "command": e.command,
        "interpreter": e.interpreter,
        "detail": json.dumps(e.detail, sort_keys=True) if e.detail else None,
        "source_file": e.origin.file,
        "source_line": e.origin.line,
    }


def _credential_row(c: Credential) -> Row:
    return {
        "session_id": c.session_id,
        "host": c.host,
        "name": c.name,
        "kind": c.kind,
        "harvest_class": c.harvest_class,
        "fingerprint": c.fingerprint,
        "key_id": c.key_id,
        "path": c.path,
        "first_seen": utc_naive(c.first_seen),
        "source_file": c.origin.file,
        "source_line": c.origin.line,
    }


def _use_row(u: CredentialUse) -> Row:
    return {
        "ts": utc_naive(u.ts),
        "key_id": u.key_id,
        "fingerprint": u.fingerprint,
        "principal": u.principal,
        "source_ip": u.source_ip,
        "user_agent": u.user_agent,
        "action": u.action,
        "outcome": u.outcome,
        "service": u.service,
        "token_id": u.token_id,
        "bound_to": u.bound_to,
        "source_file": u.origin.file,
        "source_line": u.origin.line,
    }


def _link_row(k: IdentityLink) -> Row:
    return {
        "rule": k.rule,
        "source_kind": k.source.kind,
        "source_value": k.source.value,
        "target_kind": k.target.kind,
        "target_value": k.target.value,
        "confidence": k.confidence,
        "derived": k.derived,
        "session_id": k.session_id,
        "host": k.host,
        "ts": utc_naive(k.ts),
        "fact": k.fact,
        "source_file": k.origin.file,
        "source_line": k.origin.line,
    }


def _skipped_row(s: Skipped) -> Row:
    return {
        "source_file": s.origin.file,
        "source_line": s.origin.line,
        "reason": s.reason,
        "informational": s.informational,
    }


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    ingest_id: int | Sequence[int] | None,
    rows: Sequence[Row],
) -> None:
    """Insert ``rows`` into ``table`` in one Arrow scan, matching columns by name;
    ``ingest_id`` is one for all rows or one per row."""
    if not rows:
        return
    columns = list(rows[0])
    data = {name: [row[name] for row in rows] for name in columns}
    if ingest_id is not None:
        ids = [ingest_id] * len(rows) if isinstance(ingest_id, int) else list(ingest_id)
        data["ingest_id"] = ids
        columns.append("ingest_id")
    arrow_table = _arrow(data)  # noqa: F841  (scanned by name below)
    names = ", ".join(columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM arrow_table")


def _arrow(data: dict[str, list[Any]]) -> Any:
    import pyarrow as pa

    try:
        return pa.table(data)
    except UnicodeEncodeError:  # a lone surrogate, from a JSON "\\ud800" escape
        return pa.table({name: _unicode(column) for name, column in data.items()})


def _unicode(value: Any) -> Any:
    """``value`` with lone surrogates in its strings (and lists of them) replaced by U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_unicode(item) for item in value]
    return value


def _rows(items: Iterable[Any], make: Callable[[Any], Row]) -> list[Row]:
    return [make(item) for item in items]


def table_rows(prefix: str, records: Records) -> dict[str, list[Row]]:
    """One file's rows per canonical table, artifact ids under ``prefix``."""
    packages = records.packages
    return {
        "artifacts": [_artifact_row(a, prefix) for a in records.artifacts],
        "packages": [_package_row(i, p, prefix) for i, p in enumerate(packages)],
        "package_hashes": [h for i, p in enumerate(packages) for h in _hash_rows(i, p)],
        "artifact_files": [_file_row(f, prefix) for f in records.files],
        "sessions": _rows(records.sessions, _session_row),
        "events": _rows(records.events, _event_row),
        "credentials": _rows(records.credentials, _credential_row),
        "credential_uses": _rows(records.credential_uses, _use_row),
        "identity_links": _rows(records.identity_links, _link_row),
        "skipped": _rows(records.skipped, _skipped_row),
    }


class RowBatch:
    """Rows of several files, written with one INSERT per table (small files cost little)."""

    def __init__(self) -> None:
        self.tables: dict[str, tuple[list[Row], list[int]]] = {}
        self.rows = 0

    def add(self, ingest_id: int, prefix: str, records: Records) -> None:
        """Queue one file's records under ``ingest_id``."""
        for table, rows in table_rows(prefix, records).items():
            self.add_rows(table, ingest_id, rows)

    def add_rows(self, table: str, ingest_id: int, rows: list[Row]) -> None:
        """Queue ``rows`` of ``table`` under ``ingest_id``."""
        if rows:
            queued, ids = self.tables.setdefault(table, ([], []))
            queued.extend(rows)
            ids.extend([ingest_id] * len(rows))
            self.rows += len(rows)

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        """Insert everything queued, ``ingests`` rows last; the caller holds the transaction."""
        order = sorted(self.tables, key=lambda table: table == "ingests")
        for table in order:
            rows, ids = self.tables[table]
            insert_rows(con, table, ids, rows)


def load_records(
    con: duckdb.DuckDBPyConnection, ingest_id: int, prefix: str, records: Records
) -> None:
    """Write one file's records, artifact ids under ``prefix``; the caller holds the
    transaction."""
    batch = RowBatch()
    batch.add(ingest_id, prefix, records)
    batch.write(con)
