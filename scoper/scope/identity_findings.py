"""Exposed identities as credential findings: names, homes, uses, the rotation step, ordered
by risk (used after exposure first)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from scoper.scope import families
from scoper.scope.confidence import Confidence
from scoper.scope.identity_graph import ATTRIBUTE_KINDS, Edge, Identity, Node, merging
from scoper.scope.result import (
    AliasFinding,
    CredentialFinding,
    CredentialUseFinding,
    Evidence,
    LivesIn,
)

Row = dict[str, Any]
_SHOWN = frozenset({"held"})  # internal names, never listed as aliases
_ROW_RULE = {"fingerprint": "same-fingerprint", "key-id": "seen-with"}


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
    rows: dict[str, Sequence[Row]],
) -> tuple[CredentialFinding, ...]:
    """One credential finding per exposed identity; ``rows`` holds the results of the
    identity_holders, identity_evidence and identity_places queries."""
    grouped = {name: _by_identity(result) for name, result in rows.items()}
    touching: dict[Node, list[Edge]] = defaultdict(list)
    for edge in edges:
        touching[edge.a].append(edge)
        touching[edge.b].append(edge)
    out = [
        _finding(
            i,
            list(dict.fromkeys(e for node in i.members for e in touching.get(node, ()))),
            uses.get(i.id, []),
            grouped["identity_holders"].get(i.id, []),
            grouped["identity_evidence"].get(i.id, []),
            grouped["identity_places"].get(i.id, []),
        )
        for i in found
    ]
    return tuple(sorted(out, key=_risk))


def _by_identity(rows: Sequence[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[row["identity_id"]].append(row)
    return out


def _risk(c: CredentialFinding) -> tuple[Any, ...]:
    used = any(u.new_source_ip or u.indicator for u in c.used_after_exposure)
    rank = Confidence.named(c.confidence)
    first = c.first_exposed.isoformat() if c.first_exposed else "~"
    return (not used, not c.used_after_exposure, -rank, first, c.identity)


def _finding(
    identity: Identity,
    edges: Sequence[Edge],
    uses: list[CredentialUseFinding],
    holders: list[Row],
    proofs: list[Row],
    homes: list[Row],
) -> CredentialFinding:
    aliases = _aliases(identity, edges, homes)
    top = identity.seeds[0] if identity.seeds else None
    name, kind = (top.name, top.kind) if top else _descendant_name(identity)
    keys = [a.value for a in aliases if a.kind == "key-id"]
    principals = [a.value for a in aliases if a.kind == "principal"]
    paths = sorted({r["path"] for r in homes if r["path"]})
    lives = tuple(dict.fromkeys(_place(r) for r in homes)) or _held_homes(identity, holders)
    evidence = [Evidence(r["source_file"], r["source_line"], r["fact"]) for r in proofs]
    evidence += [e.evidence for e in identity.via]
    if not evidence and top:
        evidence.append(top.evidence)
    return CredentialFinding(
        name,
        kind,
        next((a.value for a in aliases if a.kind == "fingerprint"), None),
        Confidence(identity.confidence).label,
        identity.first_exposed,
        tuple(dict.fromkeys(r["session_id"] for r in holders if r["session_id"])),
        tuple(sorted({r["host"] for r in holders if r["host"]})),
        tuple(uses),
        tuple(dict.fromkeys(evidence)),
        identity.id,
        aliases,
        lives,
        families.rotate(kind, keys, principals, paths[0] if paths else None),
        identity.derived_from,
    )


def _held_homes(identity: Identity, holders: list[Row]) -> tuple[LivesIn, ...]:
    """Credentials only a printed identity or a use shows: in their sessions' environment."""
    name = identity.seeds[0].name if identity.seeds else identity.id
    return tuple(
        LivesIn("session-env", name, r["session_id"], r["host"], None, 1)
        for r in holders
        if r["session_id"]
    )


def _held_name(r: Row) -> Node:
    """The name a row holds the identity under: its variable name when a value was read
    from a file (the file is where it lives), else its own name (a file, a variable)."""
    scope = r["scope"] if r["sessions"] <= 1 else ""
    if r["path"] and r["self_kind"] == "fingerprint":
        return ("env-name", r["name"], r["session_id"] or "" if r["sessions"] <= 1 else "")
    return (r["own_kind"], r["own_value"], scope)


def _place(r: Row) -> LivesIn:
    """A file lives on its host (whoever read it); a value held otherwise, in its sessions."""
    if r["path"]:
        where = "dotenv-file" if r["harvest_class"] == "dotenv" else "host-file"
        if r["kind"] == "k8s-service-account-token":
            return LivesIn("k8s-sa-token", r["name"], r["session_id"], r["host"], r["path"], 1)
        return LivesIn(where, r["name"], None, r["host"], r["path"], r["sessions"])
    where = families.where(
        r["kind"], r["harvest_class"], r["session_id"], r["path"], r["session_kind"]
    )
    return LivesIn(where, r["name"], r["session_id"], r["host"], r["path"], r["sessions"])


def _descendant_name(identity: Identity) -> tuple[str, str]:
    kind, value, _ = min(identity.nodes)
    if kind == "key-id":
        return value, "aws-session-credentials" if value.startswith("ASIA") else "aws-access-key"
    if kind in ("token-id", "pod"):
        return value, "k8s-service-account-token"
    return value, kind


def _aliases(
    identity: Identity, edges: Sequence[Edge], homes: Sequence[Row]
) -> tuple[AliasFinding, ...]:
    """Every name and attribute, once per rule that links it, with up to five proofs each."""
    found: dict[tuple[Node, str], tuple[int, list[Evidence]]] = {}

    def add(node: Node, rule: str, level: int, proof: Evidence) -> None:
        if node[0] in _SHOWN or not level:
            return
        best, proofs = found.get((node, rule), (0, []))
        if proof not in proofs:
            proofs.append(proof)
        found[(node, rule)] = (max(best, level), proofs)

    members = identity.members
    for edge in edges:
        if edge.derived:
            continue
        for own, other in ((edge.a, edge.b), (edge.b, edge.a)):
            if own not in members:
                continue
            if other in members or (other[0] in ATTRIBUTE_KINDS and not merging(edge)):
                level = min(members[own], members.get(other, members[own]), edge.confidence)
                add(other, edge.rule, level, edge.evidence)
    for edge in identity.via:
        add(edge.b, edge.rule, identity.confidence, edge.evidence)
    label = identity.confidence
    for r in homes:  # the names it is held under, as read from the evidence
        proof = Evidence(r["source_file"], r["source_line"], f"{r['name']} as read")
        rule = _ROW_RULE.get(r["self_kind"], "held" if r["rep_kind"] != r["own_kind"] else "seen")
        add(_held_name(r), rule, label, proof)
        if r["self_kind"] in _ROW_RULE and (r["rep_kind"], r["rep_value"]) == (
            r["self_kind"],
            r["self_value"],
        ):
            add((r["self_kind"], r["self_value"], ""), rule, label, proof)
    for seed in identity.seeds:  # a value or key the evidence showed
        add(seed.node, _ROW_RULE.get(seed.node[0], "seen"), label, seed.evidence)
    return tuple(
        AliasFinding(
            node[0],
            node[1],
            node[2] or None,
            rule,
            Confidence(level).label,
            tuple(sorted(proofs)[:5]),
        )
        for (node, rule), (level, proofs) in sorted(
            found.items(),
            key=lambda item: (item[0][0][0], item[0][0][1], item[0][0][2], item[0][1]),
        )
    )
