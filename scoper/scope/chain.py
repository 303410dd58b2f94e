"""The exposure chain (DESIGN §6): bad packages -> environments -> sessions -> hosts ->
credentials -> uses after exposure. SQL does the joins; Python ranks small result sets."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import duckdb

from scoper.feeds.model import Advisory
from scoper.scope.prepare import prepare
from scoper.scope.result import (
    CONFIDENCE,
    RANK,
    AdvisoryHeader,
    Cleared,
    CredentialFinding,
    CredentialUseFinding,
    EnvironmentFinding,
    Evidence,
    HostFinding,
    ScopeResult,
    SessionFinding,
)
from scoper.scope.steps import rows, run
from scoper.store.advisories import save_advisory
from scoper.store.load import insert_rows


def scope(con: duckdb.DuckDBPyConnection, adv: Advisory) -> ScopeResult:
    """Run the whole chain for ``adv`` over everything in the store."""
    save_advisory(con, adv)
    warnings = prepare(con, adv)
    for name in ("env", "links"):
        run(con, name, {"advisory": adv.id})
    environments = _environments(con)
    sessions = _sessions(con)
    hosts = _hosts(environments, sessions)
    _stage_exposed(con, sessions, hosts)
    credentials = _credentials(con, adv.id)
    cleared = tuple(
        Cleared(
            r["entity"],
            r["subject"],
            r["host"],
            r["package"],
            r["version"],
            Evidence(r["source_file"], r["source_line"], r["fact"]),
        )
        for r in rows(con, "cleared")
    )
    header = AdvisoryHeader(
        adv.id, adv.aliases, tuple((w.start, w.end) for w in adv.windows), adv.summary
    )
    return ScopeResult(header, environments, sessions, hosts, credentials, cleared, tuple(warnings))


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params) if params else con.execute(sql)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _environments(con: duckdb.DuckDBPyConnection) -> tuple[EnvironmentFinding, ...]:
    rows = _rows(con, "SELECT * FROM scope_env")
    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        key = (
            row["environment"],
            row["host"],
            row["image_digest"],
            row["package"],
            row["version"],
            row["ts"],
            row["until_ts"],
        )
        grouped[key].append(row)
    found = []
    for (env, host, digest, package, version, start, until), items in grouped.items():
        found.append(
            EnvironmentFinding(
                env,
                host,
                digest,
                package,
                version,
                CONFIDENCE[max(r["confidence"] for r in items)],
                start,
                until,
                tuple(sorted({_ev(r) for r in items})),
            )
        )
    return tuple(sorted(found, key=_env_order))


def _env_order(e: EnvironmentFinding) -> tuple[Any, ...]:
    return (
        e.host or "",
        e.environment or "",
        e.image_digest or "",
        e.package,
        e.version,
        e.start or datetime.min,
    )


def _ev(row: dict[str, Any]) -> Evidence:
    """The evidence a result row carries (its source file, line and fact)."""
    return Evidence(row["source_file"], row["source_line"], row["fact"])


def _env_ev(row: dict[str, Any]) -> Evidence:
    """The environment's own evidence carried along on a session link row."""
    return Evidence(row["env_file"], row["env_line"], row["env_fact"])


def _sessions(con: duckdb.DuckDBPyConnection) -> tuple[SessionFinding, ...]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows(con, "sessions"):
        grouped[row["session_id"]].append(row)
    found = []
    for session_id, items in grouped.items():
        evidence: dict[tuple[str, int | None], Evidence] = {}
        for row in items:
            for ev in (_ev(row), _env_ev(row)) if row["env_file"] else (_ev(row),):
                evidence.setdefault((ev.file, ev.line), ev)
        first = items[0]
        found.append(
            SessionFinding(
                session_id,
                first["session_host"] or first["host"],
                CONFIDENCE[first["best"]],
                first["first_exposed"],
                tuple(evidence.values()),
            )
        )
    return tuple(sorted(found, key=lambda s: s.session_id))


def _hosts(
    environments: tuple[EnvironmentFinding, ...], sessions: tuple[SessionFinding, ...]
) -> tuple[HostFinding, ...]:
    best: dict[str, tuple[int, datetime | None]] = {}
    members: dict[str, set[str]] = defaultdict(set)
    evidence: dict[str, dict[Evidence, None]] = defaultdict(dict)

    def note(host: str, conf: str, ts: datetime | None, ev: tuple[Evidence, ...]) -> None:
        rank = RANK[conf]
        old = best.get(host)
        if old is None or rank > old[0] or (rank == old[0] and _earlier(ts, old[1])):
            best[host] = (rank, ts)
        evidence[host].update(dict.fromkeys(ev[:3]))

    for env in environments:
        if env.host:
            note(env.host, env.confidence, env.start, env.evidence)
    for session in sessions:
        if session.host:
            members[session.host].add(session.session_id)
            note(session.host, session.confidence, session.first_exposed, session.evidence)
    return tuple(
        HostFinding(host, CONFIDENCE[rank], ts, tuple(sorted(members[host])), tuple(evidence[host]))
        for host, (rank, ts) in sorted(best.items())
    )


def _earlier(a: datetime | None, b: datetime | None) -> bool:
    return a is not None and (b is None or a < b)


def _stage_exposed(
    con: duckdb.DuckDBPyConnection,
    sessions: tuple[SessionFinding, ...],
    hosts: tuple[HostFinding, ...],
) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_exposed_sessions "
        "(session_id VARCHAR, host VARCHAR, confidence INTEGER, first_exposed TIMESTAMP)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_exposed_hosts "
        "(host VARCHAR, confidence INTEGER, first_exposed TIMESTAMP)"
    )
    insert_rows(
        con,
        "scope_exposed_sessions",
        None,
        [
            {
                "session_id": s.session_id,
                "host": s.host,
                "confidence": RANK[s.confidence],
                "first_exposed": s.first_exposed,
            }
            for s in sessions
        ],
    )
    insert_rows(
        con,
        "scope_exposed_hosts",
        None,
        [
            {"host": h.host, "confidence": RANK[h.confidence], "first_exposed": h.first_exposed}
            for h in hosts
        ],
    )


def _cred_key(row: dict[str, Any]) -> str:
    if row["fingerprint"]:
        return str(row["fingerprint"])
    if row["key_id"]:
        return f"key:{row['key_id']}"
    return f"{row['name']}@{row['session_id'] or row['host'] or ''}"


def _credentials(con: duckdb.DuckDBPyConnection, advisory_id: str) -> tuple[CredentialFinding, ...]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows(con, "credentials", {"advisory": advisory_id}):
        grouped[_cred_key(row)].append(row)
    uses = _uses(con, grouped)
    found = []
    for key, items in grouped.items():
        top = max(r["confidence"] for r in items)
        first = min(
            (
                r["first_exposed"]
                for r in items
                if r["confidence"] == top and r["first_exposed"] is not None
            ),
            default=None,
        )
        found.append(
            CredentialFinding(
                items[0]["name"],
                items[0]["kind"],
                items[0]["fingerprint"],
                CONFIDENCE[top],
                first,
                tuple(sorted({r["session_id"] for r in items if r["session_id"]})),
                tuple(sorted({r["host"] for r in items if r["host"]})),
                uses.get(key, ()),
                tuple(sorted({_ev(r) for r in items})),
            )
        )
    return tuple(sorted(found, key=lambda c: (c.name, c.kind, c.fingerprint or "", c.sessions)))


def _uses(
    con: duckdb.DuckDBPyConnection, grouped: dict[str, list[dict[str, Any]]]
) -> dict[str, tuple[CredentialUseFinding, ...]]:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_exposed_creds (cred_key VARCHAR, "
        "key_id VARCHAR, fingerprint VARCHAR, first_exposed TIMESTAMP)"
    )
    staged: list[dict[str, Any]] = []
    for key, items in grouped.items():
        top = max(r["confidence"] for r in items)
        first = min(
            (r["first_exposed"] for r in items if r["first_exposed"] and r["confidence"] == top),
            default=None,
        )
        ids = {r["key_id"] for r in items if r["key_id"]} or {None}
        staged.extend(
            {
                "cred_key": key,
                "key_id": key_id,
                "fingerprint": items[0]["fingerprint"],
                "first_exposed": first,
            }
            for key_id in ids
        )
    insert_rows(con, "scope_exposed_creds", None, staged)
    found: dict[str, list[CredentialUseFinding]] = defaultdict(list)
    for row in rows(con, "uses"):
        found[row["cred_key"]].append(
            CredentialUseFinding(
                row["ts"],
                row["source_ip"],
                row["user_agent"],
                row["action"],
                row["principal"],
                row["outcome"],
                bool(row["new_ip"]),
                bool(row["new_user_agent"]),
                Evidence(
                    row["source_file"],
                    row["source_line"],
                    f"{row['action'] or 'used'} from {row['source_ip'] or 'unknown IP'}"
                    + (f" ({row['outcome']})" if row["outcome"] else ""),
                ),
            )
        )
    return {k: tuple(v) for k, v in found.items()}
