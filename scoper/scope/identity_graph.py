"""Resolving credential identities from alias edges (docs/identities.md), in Python over the
distinct nodes and edges the store's SQL has gathered around the exposed credentials.

A node is ``(kind, value, scope)``. Edges between *merging* nodes (a fingerprint, a key id, a
token id, a pod, a name held in a session) join one identity; *attribute* nodes (principals,
accounts, service accounts, OIDC subjects) label identities but never join two of them; a
*derived* edge makes its target a descendant of its source's identity. Confidence of a name
is the widest path from an exposure (the strongest, over paths, of the weakest link on it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from scoper.scope.confidence import Confidence
from scoper.scope.result import Evidence

Node = tuple[str, str, str]
Lifetime = tuple[datetime | None, datetime | None]

ATTRIBUTE_KINDS = frozenset({"principal", "account", "k8s-sa", "oidc-subject"})
_ID_ORDER = ("key-id", "token-id", "token-name", "fingerprint", "pod", "file", "env-name", "held")
LEVELS = (Confidence.CONFIRMED, Confidence.LIKELY, Confidence.POSSIBLE)


@dataclass(frozen=True, slots=True)
class Edge:
    a: Node
    b: Node
    rule: str
    confidence: int
    derived: bool
    ts: datetime | None
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Seed:
    """An exposed credential row (or the held credentials of an exposed session)."""

    node: Node
    confidence: int
    first_exposed: datetime | None
    name: str
    kind: str
    sessions: tuple[str, ...]  # the exposed sessions holding it
    evidence: Evidence


@dataclass(slots=True)
class Identity:
    id: str
    nodes: frozenset[Node]
    seeds: list[Seed] = field(default_factory=list)
    confidence: int = 0
    first_exposed: datetime | None = None
    derived_from: str | None = None
    via: list[Edge] = field(default_factory=list)  # the exchanges that made it a descendant
    members: dict[Node, int] = field(default_factory=dict)
    attributes: dict[Node, tuple[int, Edge]] = field(default_factory=dict)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        root = self.parent.setdefault(node, node)
        while root != self.parent[root]:
            root = self.parent[root]
        while node != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def join(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[Node, set[Node]]:
        out: dict[Node, set[Node]] = defaultdict(set)
        for node in list(self.parent):
            out[self.find(node)].add(node)
        return out


def merging(edge: Edge) -> bool:
    """An edge that joins two names of one identity."""
    return not edge.derived and not {edge.a[0], edge.b[0]} & ATTRIBUTE_KINDS


def identity_id(nodes: Iterable[Node]) -> str:
    """A stable id: the identity's most specific global name."""
    rank = {kind: i for i, kind in enumerate(_ID_ORDER)}
    kind, value, scope = min(nodes, key=lambda n: (rank.get(n[0], len(rank)), n[2], n[1]))
    return f"{kind}:{value}" + (f"@{scope}" if scope else "")


def resolve(
    seeds: Sequence[Seed], edges: Sequence[Edge], lifetimes: Mapping[str, Lifetime]
) -> list[Identity]:
    """The exposed identities (directly, or as descendants of exposed ones), best first."""
    joined = [e for e in edges if merging(e)]
    union = _Union()
    for seed in seeds:
        union.find(seed.node)
    for edge in joined:
        union.join(edge.a, edge.b)
    for edge in edges:
        if edge.derived:
            union.find(edge.b)
    by_root = {
        root: Identity(identity_id(nodes), frozenset(nodes))
        for root, nodes in union.groups().items()
    }
    for seed in seeds:
        identity = by_root[union.find(seed.node)]
        _expose(identity, seed.confidence, seed.first_exposed)
        identity.seeds.append(seed)
    for _ in range(len(edges) + 2):
        exposed = [i for i in by_root.values() if i.confidence]
        _members(exposed, joined)
        _attributes(exposed, edges)
        if not _derive(by_root, union, edges, lifetimes):
            break
    return sorted(exposed, key=lambda i: (-i.confidence, i.id))


def _expose(identity: Identity, confidence: int, first: datetime | None) -> bool:
    """Raise ``identity``'s exposure to ``confidence`` at ``first``; whether it changed."""
    if confidence > identity.confidence:
        identity.confidence, identity.first_exposed = confidence, first
        return True
    if confidence == identity.confidence and _earlier(first, identity.first_exposed):
        identity.first_exposed = first
        return True
    return False


def _earlier(a: datetime | None, b: datetime | None) -> bool:
    return a is not None and (b is None or a < b)


def _derive(
    by_root: dict[Node, Identity],
    union: _Union,
    edges: Sequence[Edge],
    lifetimes: Mapping[str, Lifetime],
) -> bool:
    """Descendants: what an exposed identity was traded for after (or while) it was exposed.
    Whether any identity changed (the caller repeats until none does)."""
    changed = False
    for edge in (e for e in edges if e.derived):
        child = by_root[union.find(edge.b)]
        for parent in _parents(by_root, union, edge):
            if parent is child or not parent.confidence or not _after(parent, edge, lifetimes):
                continue
            level = min(parent.confidence, edge.confidence, _reach(parent, edge.a))
            if not level:
                continue
            first = max((t for t in (parent.first_exposed, edge.ts) if t), default=None)
            raised = _expose(child, level, first)
            if raised or child.derived_from is None:
                child.derived_from, child.via, changed = parent.id, [edge], True
    return changed


def _reach(identity: Identity, node: Node) -> int:
    """How surely ``node`` (a name or an attribute) belongs to ``identity``."""
    if node in identity.members:
        return identity.members[node]
    return identity.attributes.get(node, (0, None))[0]


def _parents(by_root: dict[Node, Identity], union: _Union, edge: Edge) -> list[Identity]:
    if edge.a[0] not in ATTRIBUTE_KINDS:
        return [by_root[union.find(edge.a)]]
    return [i for i in by_root.values() if i.confidence and edge.a in i.attributes]


def _after(parent: Identity, edge: Edge, lifetimes: Mapping[str, Lifetime]) -> bool:
    """The exchange happened once the parent was exposed, or inside the lifetime of a
    session holding it (so the derived credential was held there when exposure came)."""
    if edge.ts is None or parent.first_exposed is None or edge.ts >= parent.first_exposed:
        return True
    for seed in parent.seeds:
        for session in seed.sessions:
            start, end = lifetimes.get(session, (None, None))
            if start is not None and start <= edge.ts and (end is None or edge.ts <= end):
                return True
    return False


def _members(exposed: list[Identity], joined: Sequence[Edge]) -> None:
    """Each name's confidence: the widest path from an exposure of its identity."""
    starts: dict[Node, int] = {}
    for identity in exposed:
        identity.members.clear()
        for seed in identity.seeds:
            starts[seed.node] = max(
                starts.get(seed.node, 0), min(seed.confidence, identity.confidence)
            )
        for edge in identity.via:
            starts[edge.b] = max(starts.get(edge.b, 0), identity.confidence)
    for level in LEVELS:
        tier = _Union()
        for edge in joined:
            if edge.confidence >= level:
                tier.join(edge.a, edge.b)
        reached = {tier.find(n) for n, c in starts.items() if c >= level}
        for identity in exposed:
            for node in identity.nodes:
                if tier.find(node) in reached and node not in identity.members:
                    identity.members[node] = int(level)


def _attributes(exposed: list[Identity], edges: Sequence[Edge]) -> None:
    """Principals, accounts, service accounts and subjects each identity's names point at."""
    owner = {node: identity for identity in exposed for node in identity.members}
    for each in exposed:
        each.attributes.clear()
    for edge in edges:
        if edge.derived or merging(edge):
            continue
        for own, other in ((edge.a, edge.b), (edge.b, edge.a)):
            holder = owner.get(own)
            if holder is None or other[0] not in ATTRIBUTE_KINDS:
                continue
            best = holder.attributes.get(other)
            score = min(holder.members[own], edge.confidence)
            if best is None or score > best[0]:
                holder.attributes[other] = (score, edge)
