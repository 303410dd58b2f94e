"""Load OSV advisories from a JSON file, a directory tree, or a zip archive.

Zips may be osv.dev exports (``PyPI/all.zip``: one record per member) or a
GitHub archive of ossf/malicious-packages (records under ``osv/``; the
``MAL-0000-*`` origin files awaiting ingest are skipped, with a reason).
When the same id appears twice, the later ``modified`` wins (OSV rule).
"""

from __future__ import annotations

import gzip
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, TypeVar

from scoper.feeds.extension import advisory_extension, affected_extension
from scoper.feeds.fields import Node, advisory_error
from scoper.feeds.model import Advisory, Affected, OsvRange
from scoper.names import canonical

RANGE_TYPES = ("SEMVER", "ECOSYSTEM", "GIT")
EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
MAX_RECORD_BYTES = 64 * 1024 * 1024
# ossf/malicious-packages database_specific.iocs keys -> scoper IOC kinds
_OSSF_IOCS = (("domains", "domains"), ("ip_addresses", "ips"), ("urls", "urls"))
_P = TypeVar("_P", bound=PurePath)


@dataclass(frozen=True, slots=True)
class Loaded:
    """Advisories read from a path, plus the files passed over and why."""

    advisories: tuple[Advisory, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (file, reason)


def load(path: Path) -> tuple[Advisory, ...]:
    """All advisories under ``path`` (file, directory or zip), sorted by id."""
    return scan(path).advisories


def scan(path: Path) -> Loaded:
    """Like :func:`load`, also reporting skipped files."""
    shown = str(path)
    if path.is_dir():
        members = _directory_members(path)
    elif zipfile.is_zipfile(path):
        members = _zip_members(path)
    elif path.is_file():
        members = iter([(shown, _read_file(path))])
    else:
        raise advisory_error(shown, "", "no such file or directory")
    advisories: dict[str, Advisory] = {}
    skipped: list[tuple[str, str]] = []
    for display, raw in members:
        data = decode_json(raw, display)
        if _is_origin_file(display, data):
            skipped.append((display, "ossf origin record awaiting ingest (empty id)"))
            continue
        advisory = parse_record(data, display)
        kept = advisories.get(advisory.id)
        if kept is None or _newer(advisory, kept):
            advisories[advisory.id] = advisory
    ordered = tuple(advisories[key] for key in sorted(advisories))
    return Loaded(ordered, tuple(skipped))


def decode_json(raw: bytes, file: str) -> Any:
    """Parse JSON bytes (gzip and UTF-8 BOM allowed), naming line and column on errors."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise advisory_error(file, "", f"corrupt gzip data: {exc}") from exc
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise advisory_error(file, f"byte {exc.start}", "not valid UTF-8") from exc
    except json.JSONDecodeError as exc:
        place = f"line {exc.lineno} column {exc.colno}"
        raise advisory_error(file, place, f"invalid JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise advisory_error(file, "", "invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer literal too long to convert
        raise advisory_error(file, "", f"invalid JSON: {exc}") from exc


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


def _newer(candidate: Advisory, kept: Advisory) -> bool:
    if candidate.modified is None or kept.modified is None:
        return False
    return candidate.modified > kept.modified


def _is_origin_file(display: str, data: Any) -> bool:
    """An ossf/malicious-packages origin or contribution file (``MAL-0000-*``, id "")."""
    name = PurePosixPath(display.replace("!", "/")).name
    return name.startswith("MAL-0000-") and isinstance(data, dict) and not data.get("id")


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise advisory_error(str(path), "", f"cannot read: {exc.strerror or exc}") from exc


def _directory_members(root: Path) -> Iterator[tuple[str, bytes]]:
    files = [p for p in root.rglob("*.json") if p.is_file()]
    relative = [p.relative_to(root) for p in files]
    relative = [p for p in relative if not any(part.startswith(".") for part in p.parts)]
    relative = _ossf_only(relative)
    for rel in sorted(relative):
        yield str(root / rel), _read_file(root / rel)


def _zip_members(path: Path) -> Iterator[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {PurePosixPath(i.filename): i for i in archive.infolist() if not i.is_dir()}
            names = [n for n in infos if n.name.endswith(".json")]
            for name in sorted(_ossf_only(names)):
                info = infos[name]
                display = f"{path}!{name}"
                if info.file_size > MAX_RECORD_BYTES:
                    raise advisory_error(display, "", "record too large")
                yield display, archive.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise advisory_error(str(path), "", f"not a readable zip archive: {exc}") from exc


def _ossf_only(paths: list[_P]) -> list[_P]:
    """Inside an ossf/malicious-packages tree, keep only the records under ``osv/``."""
    under = [p for p in paths if "osv" in p.parts[:-1]]
    return under if under else paths
