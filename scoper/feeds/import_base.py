"""The import family's interface: an :class:`Importer` turns one input path into
:class:`Member` files (a JSON or YAML record each), bounded by :mod:`scoper.limits`.

The shapes (one file, a folder tree, a zip) are modules beside this one, listed in
:mod:`scoper.feeds.import_registry`. Inside an ossf/malicious-packages tree only records
under ``osv/`` are read, and those under ``osv/withdrawn/`` are marked withdrawn.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, TypeVar

from scoper.limits import Limits

RECORD_SUFFIXES = (".json", ".json.gz", ".yaml", ".yml")
_P = TypeVar("_P", bound=PurePosixPath)


@dataclass(frozen=True, slots=True)
class Member:
    """One record file: how errors name it, where it came from, and its bytes."""

    display: str  # "all.zip: PYSEC-2024-1.json" or the file's path
    origin: str  # "all.zip!PYSEC-2024-1.json" or the file's path
    name: PurePosixPath  # path inside the input (for the suffix and the ossf layout)
    read: Callable[[], bytes]

    @property
    def withdrawn_tree(self) -> bool:
        """Under ``osv/withdrawn/`` of an ossf/malicious-packages tree."""
        parts = self.name.parts
        return any(a == "osv" and b == "withdrawn" for a, b in itertools.pairwise(parts))


class Importer(Protocol):
    """One input shape: a file, a folder tree, an archive."""

    @property
    def name(self) -> str:
        """A short label (``json``, ``yaml``, ``tree``, ``zip``)."""
        ...

    def claims(self, path: Path) -> bool:
        """True when this importer reads ``path`` (cheap: kind, suffix, magic bytes)."""
        ...

    def members(self, path: Path, limits: Limits) -> Iterator[Member]:
        """The record files of ``path``, in a stable order; an AdvisoryError when unreadable."""
        ...


def is_record_name(name: PurePosixPath) -> bool:
    """A file name an advisory record may have."""
    lowered = name.name.lower()
    return any(lowered.endswith(suffix) for suffix in RECORD_SUFFIXES)


def ossf_only(paths: list[_P]) -> list[_P]:
    """Inside an ossf/malicious-packages tree (a folder with records under ``osv/``), keep
    only the records under ``osv/``; records beside that tree are kept."""
    roots = {p.parts[: p.parts.index("osv")] for p in paths if "osv" in p.parts[:-1]}
    return [p for p in paths if not _outside_osv(p.parts, roots)]


def _outside_osv(parts: tuple[str, ...], roots: set[tuple[str, ...]]) -> bool:
    """In some ossf tree's root, but not under its ``osv/``."""
    return any(
        parts[: len(root)] == root and parts[len(root) : len(root) + 1] != ("osv",)
        for root in roots
    )
