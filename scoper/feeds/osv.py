"""Load OSV advisories from a JSON or PYSEC YAML file, a directory tree, or a zip archive.

The input shapes are the import family (:mod:`scoper.feeds.import_registry`). Zips may
be osv.dev exports (``PyPI/all.zip``: one record per member) or a GitHub archive of
ossf/malicious-packages (records under ``osv/``; the ``MAL-0000-*`` origin files
awaiting ingest are skipped, with a reason; ``osv/withdrawn/`` records are withdrawn).
When the same id appears twice, the later ``modified`` wins (OSV rule).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoper.feeds import import_registry
from scoper.feeds.extension import advisory_extension, affected_extension
from scoper.feeds.fields import Node
from scoper.feeds.import_base import Member
from scoper.feeds.import_json import decode_json
from scoper.feeds.integrity import package_integrity
from scoper.feeds.model import Advisory, Affected, OsvRange
from scoper.limits import Limits
from scoper.names import canonical

RANGE_TYPES = ("SEMVER", "ECOSYSTEM", "GIT")
EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
# ossf/malicious-packages database_specific.iocs keys -> scoper IOC kinds
_OSSF_IOCS = (("domains", "domains"), ("ip_addresses", "ips"), ("urls", "urls"))
__all__ = [
    "Loaded",
    "decode_json",
    "is_origin_file",
    "load",
    "mark_withdrawn",
    "newer",
    "parse_record",
    "scan",
]


@dataclass(frozen=True, slots=True)
class Loaded:
    """Advisories read from a path, plus the files passed over and why."""

    advisories: tuple[Advisory, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (file, reason)


def load(path: Path) -> tuple[Advisory, ...]:
    """All advisories under ``path`` (file, directory or zip), sorted by id."""
    return scan(path).advisories


def scan(path: Path, limits: Limits | None = None) -> Loaded:
    """Like :func:`load`, also reporting skipped files; a bad record raises (exit 3)."""
    advisories: dict[str, Advisory] = {}
    skipped: list[tuple[str, str]] = []
    for member in import_registry.members(path, limits):
        data = import_registry.decode(member, limits)
        if is_origin_file(member, data):
            skipped.append((member.display, "ossf origin record awaiting ingest (empty id)"))
            continue
        advisory = parse_record(mark_withdrawn(member, data), member.display, member.origin)
        kept = advisories.get(advisory.id)
        if kept is None or newer(advisory, kept):
            advisories[advisory.id] = advisory
    ordered = tuple(advisories[key] for key in sorted(advisories))
    return Loaded(ordered, tuple(skipped))


def mark_withdrawn(member: Member, data: Any) -> Any:
    """A record under ``osv/withdrawn/`` without a ``withdrawn`` time gets its ``modified``."""
    if member.withdrawn_tree and isinstance(data, dict) and not data.get("withdrawn"):
        return {**data, "withdrawn": data.get("modified")}
    return data


def parse_record(data: Any, file: str, origin: str | None = None) -> Advisory:
    """One OSV record as an :class:`Advisory`; ``origin`` defaults to ``file``."""
    root = Node(file, "", data)
    root.mapping()
    ident = root.need("id")
    if not ident.text().strip():
        raise ident.error("empty id")
    extension = advisory_extension(root)
    affected = root.get("affected")
    return Advisory(
        id=ident.text(),
        origin=origin or file,
        aliases=root.opt_texts("aliases"),
        summary=root.opt_text("summary") or "",
        details=root.opt_text("details") or "",
        published=root.opt_time("published"),
        modified=root.need("modified").time(),
        withdrawn=root.opt_time("withdrawn"),
        affected=tuple(_affected_entries(affected)) if affected else (),
        windows=extension.windows,
        harvests=extension.harvests,
        iocs=_merged_iocs(extension.iocs, _ossf_iocs(root)),
        references=_references(root.get("references")),
        file_hashes=extension.file_hashes,
        sources=extension.sources,
    )


def _affected_entries(node: Node) -> Iterator[Affected]:
    for item in node.items():
        package = item.get("package")
        if package is None:  # allowed by OSV (e.g. GIT-only entries): nothing to match by name
            continue
        ecosystem = package.need("ecosystem").text()
        name = package.need("name").text()
        versions = item.opt_texts("versions")
        ranges_node = item.get("ranges")
        ranges = tuple(_range(r) for r in ranges_node.items()) if ranges_node else ()
        extension = affected_extension(item, versions, bool(ranges), ecosystem)
        yield Affected(
            ecosystem=ecosystem,
            name=canonical(ecosystem, name),
            versions=versions,
            ranges=ranges,
            facts=extension.facts,
            default_trigger=extension.default_trigger,
            releases=extension.releases,
            refs=extension.refs,
            integrity=package_integrity(item),
        )


def _range(node: Node) -> OsvRange:
    kind = node.need("type")
    if kind.text() not in RANGE_TYPES:
        expected = ", ".join(RANGE_TYPES)
        raise kind.error(f"unknown range type {kind.value!r} (expected one of: {expected})")
    events: list[tuple[str, str]] = []
    for event in node.need("events").items():
        keys = list(event.mapping())
        if len(keys) != 1 or keys[0] not in EVENT_KINDS:
            raise event.error(f"an event needs exactly one of: {', '.join(EVENT_KINDS)}")
        events.append((keys[0], event.need(keys[0]).text()))
    kinds = {event_kind for event_kind, _ in events}
    if "introduced" not in kinds:
        raise node.error("range has no 'introduced' event")
    if {"fixed", "last_affected"} <= kinds:
        raise node.error("range has both 'fixed' and 'last_affected'")
    return OsvRange(kind.text(), tuple(events))


def _references(node: Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    return tuple(item.need("url").text() for item in node.items())


def _ossf_iocs(root: Node) -> dict[str, tuple[str, ...]]:
    """ossf's own ``database_specific.iocs`` (under development upstream): read leniently."""
    specific = root.value.get("database_specific")
    iocs = specific.get("iocs") if isinstance(specific, dict) else None
    if not isinstance(iocs, dict):
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for theirs, ours in _OSSF_IOCS:
        values = iocs.get(theirs)
        if isinstance(values, list):
            found[ours] = tuple(value for value in values if isinstance(value, str))
    return found


def _merged_iocs(*parts: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for kind, values in part.items():
            bucket = merged.setdefault(kind, [])
            bucket.extend(value for value in values if value not in bucket)
    return {kind: tuple(values) for kind, values in merged.items() if values}


def newer(candidate: Advisory, kept: Advisory) -> bool:
    if candidate.modified is None or kept.modified is None:
        return False
    return candidate.modified > kept.modified


def is_origin_file(member: Member, data: Any) -> bool:
    """An ossf/malicious-packages origin or contribution file (``MAL-0000-*``, id "")."""
    named = member.name.name.startswith("MAL-0000-")
    return named and isinstance(data, dict) and not data.get("id")
