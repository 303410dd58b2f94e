"""Evidence identity, and one parse shared by every copy of the same content.

An ingest is identified by (content sha256, path, host): the same bytes at another
path, or ingested for another host, are new evidence with rows of their own. Within
one batch such copies are parsed once; each further copy gets the first copy's
records moved to its own path, when they depend on the path only through their
origins (else it is parsed again).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoper.model import Origin, Records
from scoper.sources.base import Source
from scoper.sources.reading import logical_name

_LISTS = tuple(f.name for f in dataclasses.fields(Records))


@dataclass(frozen=True, slots=True)
class Identity:
    """What makes one ingest: its content, its path as given, the host it was ingested for."""

    sha: str
    path: str
    host: str | None

    def artifact_prefix(self) -> str:
        """The prefix of this ingest's artifact ids, distinct for every copy of a content."""
        text = json.dumps([self.sha, self.path, self.host])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class SharedParses:
    """First copies' parsed records, kept for their later copies in the batch, then freed."""

    def __init__(self) -> None:
        self._waiting: dict[int, int] = {}  # id(first copy) -> copies still to load
        self._records: dict[int, Records] = {}

    def expect(self, first: object) -> None:
        """One more copy of ``first`` will ask for its records."""
        self._waiting[id(first)] = self._waiting.get(id(first), 0) + 1

    def offer(self, first: object, records: Records, display: str, path: Path) -> None:
        """Keep ``first``'s records if copies wait for them and they are :func:`reusable`."""
        if self._waiting.get(id(first)) and reusable(records, display, path):
            self._records[id(first)] = records

    def take(self, first: object, display: str) -> Records | None:
        """``first``'s records moved to ``display``; None when they were not shareable."""
        left = self._waiting[id(first)] - 1
        self._waiting[id(first)] = left
        records = self._records.get(id(first)) if left else self._records.pop(id(first), None)
        return reorigin(records, display) if records is not None else None


SHARED_KINDS = ("lockfile", "sbom", "environment")


def content_key(sha: str, source: Source, path: Path) -> tuple[str, str, str] | None:
    """Copies that parse alike: same bytes, same reader, same file name (parsers read it).

    None for audit logs, never shared: some read files beside them (a GitHub Actions
    log its job JSON), which their records need not show.
    """
    return (sha, source.name, logical_name(path)) if source.kind in SHARED_KINDS else None


def reusable(records: Records, display: str, path: Path) -> bool:
    """Whether ``records`` (parsed from ``path`` shown as ``display``) suit another copy.

    They do when every origin is the file itself and no other value names the file or
    a folder above it: no included files, no environment taken from the folder, no
    session named after the path. A file named without a folder is never shared (what
    its includes resolve to cannot be told from the records).
    """
    marks = _ancestors(display)
    if not marks:
        return False
    marks += [display, *(str(p) for p in path.absolute().parents if p.parent != p)]
    if any(item.origin.file != display for item in _items(records)):
        return False
    text = "\0".join(_strings(records))
    return not any(mark in text for mark in marks)


def reorigin(records: Records, display: str) -> Records:
    """The same records with every origin moved to ``display`` (lines kept)."""
    moved = {
        name: [
            dataclasses.replace(item, origin=Origin(display, item.origin.line))
            for item in getattr(records, name)
        ]
        for name in _LISTS
    }
    return Records(**moved)


def _ancestors(display: str) -> list[str]:
    """The folders above ``display`` as written ("a/b/x.txt": "a/b", "a")."""
    found = []
    folder = posixpath.dirname(display)
    while folder not in ("", ".", "/") and folder not in found:
        found.append(folder)
        folder = posixpath.dirname(folder)
    return found


def _items(records: Records) -> Iterator[Any]:
    for name in _LISTS:
        yield from getattr(records, name)


_FIELDS: dict[str, tuple[str, ...]] = {}


def _value_fields(item: Any) -> tuple[str, ...]:
    """A record's field names, origin aside (cached per record type)."""
    kind = type(item).__name__
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(item) if f.name != "origin")
    return _FIELDS[kind]


def _strings(records: Records) -> Iterator[str]:
    """Every text value of every record, origins aside."""
    for item in _items(records):
        for name in _value_fields(item):
            yield from _texts(getattr(item, name))


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for part in value:
            yield from _texts(part)
    elif isinstance(value, dict):
        for key, part in value.items():
            yield str(key)
            yield from _texts(part)
