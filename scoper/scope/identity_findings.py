"""Exposed identities as credential findings: names, homes, uses, the rotation step, ordered
by risk (used after exposure first)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from scoper.scope import families
from scoper.scope.confidence import Confidence
from scoper.scope.identity_graph import Edge, Identity, Node, merging
from scoper.scope.result import (
    AliasFinding,
    CredentialFinding,
    CredentialUseFinding,
    Evidence,
    LivesIn,
)

Row = dict[str, Any]
_SHOWN = frozenset({"held"})  # internal names, never listed as aliases


def map_uses(rows: Sequence[Row]) -> dict[str, list[CredentialUseFinding]]:
    """Uses after exposure, by identity."""
    out: dict[str, list[CredentialUseFinding]] = defaultdict(list)
    for r in rows:
        out[r["identity_id"]].append(
            CredentialUseFinding(
                r["ts"],
                r["source_ip"],
                r["user_agent"],
                r["action"],
                r["principal"],
                r["outcome"],
                bool(r["new_ip"]),
                bool(r["new_user_agent"]),
                Evidence(r["source_file"], r["source_line"], r["fact"]),
                r["alias"],
                Confidence(r["confidence"]).label,
                bool(r["indicator"]),
            )
        )
    return out


def map_identities(
    found: Sequence[Identity],
    edges: Sequence[Edge],
    uses: dict[str, list[CredentialUseFinding]],
    places: Sequence[Row],
) -> tuple[CredentialFinding, ...]:
    """One credential finding per exposed identity."""
    homes: dict[str, list[Row]] = defaultdict(list)
    for row in places:
        homes[row["identity_id"]].append(row)
    out = [_finding(i, edges, uses.get(i.id, []), homes.get(i.id, [])) for i in found]
    return tuple(sorted(out, key=_risk))


def _risk(c: CredentialFinding) -> tuple[Any, ...]:
    used = any(u.new_source_ip or u.indicator for u in c.used_after_exposure)
    rank = Confidence[c.confidence.upper()]
    return (
        not used,
        not c.used_after_exposure,
        -rank,
        c.first_exposed is None,
        c.first_exposed,
        c.identity,
    )


def _finding(
    identity: Identity, edges: Sequence[Edge], uses: list[CredentialUseFinding], homes: list[Row]
) -> CredentialFinding:
    aliases = _aliases(identity, edges)
    top = identity.seeds[0] if identity.seeds else None
    name, kind = (top.name, top.kind) if top else _descendant_name(identity)
    keys = [a.value for a in aliases if a.kind == "key-id"]
    principals = [a.value for a in aliases if a.kind == "principal"]
    paths = sorted({r["path"] for r in homes if r["path"]})
    lives = tuple(
        dict.fromkeys(
            families.place(
                r["name"],
                r["kind"],
                r["harvest_class"],
                r["session_id"],
                r["host"],
                r["path"],
                r["session_kind"],
            )
            for r in homes
        )
    )
    evidence = {s.evidence for s in identity.seeds} | {e.evidence for e in identity.via}
    return CredentialFinding(
        name,
        kind,
        next((a.value for a in aliases if a.kind == "fingerprint"), None),
        Confidence(identity.confidence).label,
        identity.first_exposed,
        tuple(sorted({s.session_id for s in identity.seeds if s.session_id})),
        tuple(sorted({s.host for s in identity.seeds if s.host})),
        tuple(uses),
        tuple(sorted(evidence)),
        identity.id,
        aliases,
        lives or tuple(_seed_homes(identity)),
        families.rotate(kind, keys, principals, paths[0] if paths else None),
        identity.derived_from,
    )


def _seed_homes(identity: Identity) -> list[LivesIn]:
    return [LivesIn("session-env", s.name, s.session_id, s.host, None) for s in identity.seeds]


def _descendant_name(identity: Identity) -> tuple[str, str]:
    kind, value, _ = min(identity.nodes)
    if kind == "key-id":
        return value, "aws-session-credentials" if value.startswith("ASIA") else "aws-access-key"
    if kind in ("token-id", "pod"):
        return value, "k8s-service-account-token"
    return value, kind


def _aliases(identity: Identity, edges: Sequence[Edge]) -> tuple[AliasFinding, ...]:
    """Every name (and attribute) with the best edge that brought it in."""
    best: dict[Node, tuple[int, Edge]] = {}
    for edge in edges:
        if not merging(edge):
            continue
        for node, other in ((edge.a, edge.b), (edge.b, edge.a)):
            if node in identity.members and other in identity.members:
                score = min(identity.members[node], identity.members[other], edge.confidence)
                if node not in best or score > best[node][0]:
                    best[node] = (score, edge)
    for edge in identity.via:
        best.setdefault(edge.b, (identity.confidence, edge))
    best.update(identity.attributes)
    found = {
        node: AliasFinding(
            node[0], node[1], node[2] or None, edge.rule, Confidence(level).label, edge.evidence
        )
        for node, (level, edge) in best.items()
        if node[0] not in _SHOWN
    }
    for seed in identity.seeds:  # a name read straight from the evidence
        if seed.node[0] not in _SHOWN:
            label = Confidence(min(seed.confidence, identity.confidence)).label
            alias = AliasFinding(
                seed.node[0], seed.node[1], seed.node[2] or None, "seen", label, seed.evidence
            )
            found.setdefault(seed.node, alias)
    return tuple(sorted(found.values(), key=lambda a: (a.kind, a.value, a.scope or "")))
