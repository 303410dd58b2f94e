"""``scoper advisories import``: read OSV from files, trees and zips, keeping what is safe.

Every record is parsed by the same loader as ``--advisories`` (:func:`osv.parse_record`).
A bad record is never stored; it names its file and place. The valid rest is kept where
that is safe: records are independent, so one bad record does not spoil its neighbours,
but an id with *any* bad copy is dropped whole (its newest version may be the bad one),
and an input that cannot be read as a whole (a corrupt or oversized zip, a bomb) gives
nothing at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoper.errors import AdvisoryError
from scoper.feeds import import_registry
from scoper.feeds.import_base import Member
from scoper.feeds.osv import is_origin_file, mark_withdrawn, newer, parse_record
from scoper.limits import Limits
from scoper.store.advisory_records import StoredRecord


@dataclass(slots=True)
class ImportReport:
    """What an import read: the records to keep, and every problem and pass-over."""

    kept: dict[str, StoredRecord] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # "file: place: message"
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    refused: list[str] = field(default_factory=list)  # inputs nothing was kept from
    tainted: set[str] = field(default_factory=set)  # ids with a bad copy: dropped

    def records(self) -> list[StoredRecord]:
        """The records safe to store, by id."""
        return [self.kept[key] for key in sorted(self.kept) if key not in self.tainted]


def read_imports(paths: Sequence[Path], limits: Limits | None = None) -> ImportReport:
    """Read every path; the report says what may be stored and what may not."""
    report = ImportReport()
    for path in paths:
        found: list[StoredRecord] = []
        try:
            for member in import_registry.members(path, limits):
                _read_member(member, str(path), limits, found, report)
        except AdvisoryError as exc:  # the input as a whole: nothing from it is kept
            report.problems.append(str(exc))
            report.refused.append(str(path))
            continue
        for item in found:
            kept = report.kept.get(item.advisory.id)
            if kept is None or newer(item.advisory, kept.advisory):
                report.kept[item.advisory.id] = item
    return report


def _read_member(
    member: Member,
    source: str,
    limits: Limits | None,
    found: list[StoredRecord],
    report: ImportReport,
) -> None:
    data: Any = None
    try:
        raw = member.read()
        data = import_registry.decode(member, limits, raw)
        if is_origin_file(member, data):
            report.skipped.append((member.display, "ossf origin record awaiting ingest"))
            return
        marked = mark_withdrawn(member, data)
        advisory = parse_record(marked, member.display, member.origin)
        as_read = import_registry.json_text(member, raw) if marked is data else None
    except AdvisoryError as exc:
        report.problems.append(str(exc))
        ident = data.get("id") if isinstance(data, dict) else None
        if isinstance(ident, str) and ident.strip():
            report.tainted.add(ident)
        return
    found.append(StoredRecord(advisory, as_read if as_read is not None else marked, source))
