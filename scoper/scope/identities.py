"""Step 6b-7: exposed credentials as identities, their descendants, and their uses.

SQL gathers the edges (``identity_edges.sql``); Python walks out from the exposed credentials
over the *distinct* nodes (``identity_frontier.sql``, a few rounds), resolves identities
(:mod:`scoper.scope.identity_graph`), and stages each identity's matchable names for the use
query (``identity_uses.sql``). Nothing is written to the store's persistent tables.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from scoper.engines.base import Connection, stage_rows
from scoper.feeds.model import Advisory
from scoper.scope import families
from scoper.scope.confidence import Confidence, sql_params
from scoper.scope.identity_graph import (
    ATTRIBUTE_KINDS,
    Edge,
    Identity,
    Lifetime,
    Node,
    Seed,
    resolve,
)
from scoper.scope.mapping import read_mapping
from scoper.scope.result import Evidence
from scoper.scope.steps import rows, run

MATCHABLE = ("key-id", "fingerprint", "token-id", "pod")
MAX_ROUNDS = 12  # walk depth: far more than any real chain of names and exchanges


def stage(con: Connection, adv: Advisory, mapping: Path | None) -> None:
    """The inputs Python owns (held names, the responder's mapping, IOCs), then the edges."""
    run(con, "identity_setup", {})
    stage_rows(con, "scope_held_names", families.held_rows())
    if mapping is not None:
        stage_rows(con, "scope_identity_mapping", read_mapping(mapping))
    ips = adv.iocs.get("ips", [])
    stage_rows(con, "scope_iocs", [{"kind": "ip", "value": str(ip)} for ip in ips])
    run(con, "identity_edges", sql_params())


def identities(con: Connection, harvests: Collection[str]) -> tuple[list[Identity], list[Edge]]:
    """The exposed identities (names, descendants) and the edges around them; stages
    scope_identity_match and scope_id_members for the use and place queries."""
    seeds = [s for s in _seeds(con) if s.node[0] != "held" or families.reached(s.node[1], harvests)]
    edges = _closure(con, {s.node for s in seeds})
    found = resolve(seeds, edges, _lifetimes(con, seeds))
    _stage_matches(con, found)
    return found, edges


def _seeds(con: Connection) -> list[Seed]:
    held: dict[Node, list[str]] = {}
    for kind, value, scope, session in con.execute(
        "SELECT node_kind, node_value, node_scope, session_id FROM scope_seed_sessions "
        "ORDER BY node_kind, node_value, node_scope, session_id"
    ).fetchall():
        held.setdefault((kind, value, scope), []).append(session)
    query = (
        "SELECT node_kind, node_value, node_scope, confidence, first_exposed, name, kind, "
        "source_file, source_line, fact FROM scope_identity_seeds "
        "ORDER BY name, kind, node_kind, node_value, node_scope"
    )
    seeds = []
    for r in con.execute(query).fetchall():
        node = (r[0], r[1], r[2])
        evidence = Evidence(r[7], r[8], r[9])
        seeds.append(Seed(node, r[3], r[4], r[5], r[6], tuple(held.get(node, ())), evidence))
    return seeds


def _closure(con: Connection, start: set[Node]) -> list[Edge]:
    """Every edge reachable from ``start``: names expand fully, attributes only through the
    exchanges out of them."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_id_frontier "
        "(kind VARCHAR, value VARCHAR, scope VARCHAR, attribute BOOLEAN)"
    )
    seen, frontier = set(start), set(start)
    edges: dict[tuple[Any, ...], Edge] = {}
    for _ in range(MAX_ROUNDS):
        if not frontier:
            break
        con.execute("DELETE FROM scope_id_frontier")
        stage_rows(con, "scope_id_frontier", [_node_row(n) for n in frontier])
        frontier = set()
        for row in rows(con, "identity_frontier"):
            edge = _edge(row)
            edges.setdefault((edge.a, edge.b, edge.rule, edge.evidence), edge)
            for node in (edge.a, edge.b):
                if node not in seen:
                    seen.add(node)
                    frontier.add(node)
    return sorted(edges.values(), key=lambda e: (e.a, e.b, e.rule, e.evidence))


def _node_row(node: Node) -> dict[str, Any]:
    return {
        "kind": node[0],
        "value": node[1],
        "scope": node[2],
        "attribute": node[0] in ATTRIBUTE_KINDS,
    }


def _edge(r: dict[str, Any]) -> Edge:
    return Edge(
        (r["a_kind"], r["a_value"], r["a_scope"]),
        (r["b_kind"], r["b_value"], r["b_scope"]),
        r["rule"],
        r["confidence"],
        bool(r["derived"]),
        r["ts"],
        Evidence(r["source_file"], r["source_line"], r["fact"]),
    )


def _lifetimes(con: Connection, seeds: Sequence[Seed]) -> dict[str, Lifetime]:
    """When each session holding a seed started and ended (else its first and last event)."""
    if not any(s.sessions for s in seeds):
        return {}
    query = (
        "SELECT f.session_id, coalesce(f.started_at, min(e.ts)), coalesce(f.ended_at, max(e.ts)) "
        "FROM scope_session_facts AS f LEFT JOIN events AS e ON e.session_id = f.session_id "
        "WHERE f.session_id IN (SELECT session_id FROM scope_seed_sessions) "
        "GROUP BY f.session_id, f.started_at, f.ended_at"
    )
    out: dict[str, Lifetime] = {}
    for session_id, start, end in con.execute(query).fetchall():
        out[session_id] = (start, end)
    return out


def _stage_matches(con: Connection, found: Sequence[Identity]) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_identity_match (identity_id VARCHAR, alias_kind "
        "VARCHAR, value VARCHAR, confidence INTEGER, first_exposed TIMESTAMP)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scope_id_members "
        "(identity_id VARCHAR, kind VARCHAR, value VARCHAR, scope VARCHAR)"
    )
    matches, members = [], []
    for identity in found:
        for (kind, value, scope), level in identity.members.items():
            members.append(
                {"identity_id": identity.id, "kind": kind, "value": value, "scope": scope}
            )
            if kind in MATCHABLE:
                matches.append(
                    {
                        "identity_id": identity.id,
                        "alias_kind": kind,
                        "value": value,
                        "confidence": level,
                        "first_exposed": identity.first_exposed,
                    }
                )
        for (kind, value, _), (level, _edge) in identity.attributes.items():
            if kind == "oidc-subject":  # any job of that ref may redeem one: likely at most
                matches.append(
                    {
                        "identity_id": identity.id,
                        "alias_kind": kind,
                        "value": value,
                        "confidence": min(level, int(Confidence.LIKELY)),
                        "first_exposed": identity.first_exposed,
                    }
                )
    stage_rows(con, "scope_identity_match", matches)
    stage_rows(con, "scope_id_members", members)
