"""Inputs: walking folders (each real folder once) and detecting each file's format."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from scoper.errors import InputError, UnknownFormatError
from scoper.sources.base import Source, file_sha256
from scoper.sources.reading import read_head
from scoper.sources.registry import all_sources


def iter_inputs(
    paths: Sequence[Path], notes: list[tuple[Path, str]] | None = None
) -> Iterator[tuple[Path, bool]]:
    """Yield (path, named) for each file to ingest; directories are walked in name order.

    A directory that a directory-reading source claims (e.g. site-packages) is
    yielded whole. Hidden entries inside walked directories are passed over (``.git``,
    ``.venv``), except ``.github/workflows`` (the workflow files are evidence). Each real
    folder is walked once: a symlink back to one already walked (a loop) is not followed
    and becomes one ``(path, note)`` in ``notes``, as does a folder that cannot be listed.
    """
    walked: set[tuple[int, int]] = set()
    for path in paths:
        yield from _walk(path, True, walked, notes if notes is not None else [])


# Hidden folders that hold evidence, with the only entries inside them that are walked.
_HIDDEN_WALKED = {".github": ("workflows",)}


def _walked_children(path: Path, children: list[Path]) -> list[Path]:
    only = _HIDDEN_WALKED.get(path.name)
    if only is not None:
        return [child for child in children if child.name in only]
    hidden = [c for c in children if c.name in _HIDDEN_WALKED and c.is_dir()]
    return sorted([c for c in children if not c.name.startswith(".")] + hidden)


def _walk(
    path: Path, named: bool, walked: set[tuple[int, int]], notes: list[tuple[Path, str]]
) -> Iterator[tuple[Path, bool]]:
    if not (path.is_dir() and claimant(path) is None):
        yield path, named
        return
    try:
        info = path.stat()
        children = sorted(path.iterdir())
    except OSError as exc:
        notes.append((path, f"cannot list folder: {exc.strerror or exc}, not walked"))
        return
    if (info.st_dev, info.st_ino) in walked:
        real = os.path.realpath(path)
        notes.append((path, f"folder {real} already walked (a symlink loop?), not followed"))
        return
    walked.add((info.st_dev, info.st_ino))
    for child in _walked_children(path, children):
        yield from _walk(child, False, walked, notes)


_DOC_SUFFIXES = (".md", ".rst", ".adoc", ".html", ".pdf", ".png", ".jpg", ".jpeg", ".svg")
_DOC_NAMES = ("README", "LICENSE", "LICENCE", "NOTICE", "CHANGELOG", "COPYING")


def is_documentation(path: Path) -> bool:
    """A file found in a walked folder that is prose or a picture, never evidence.

    Such files are listed as ignored; any other unrecognised file is an error.
    """
    return path.suffix.lower() in _DOC_SUFFIXES or path.name.upper().startswith(_DOC_NAMES)


def claimant(path: Path) -> Source | None:
    """The first registered source that claims ``path``: folder readers for a folder
    (site-packages), file readers for a file, given its first bytes."""
    folder = path.is_dir()
    head = b"" if folder else read_head(path)
    for source in all_sources():
        if source.directory == folder and source.sniff(path, head):
            return source
    return None


def detect(path: Path) -> Source:
    """The source that reads ``path``; UnknownFormatError when none claims it."""
    source = claimant(path)
    if source is None:
        raise UnknownFormatError(
            str(path),
            "no reader recognises this file (name one with --format; see `scoper formats`)",
        )
    return source


def file_digest(path: Path, source: Source | None = None) -> str:
    """The content identity of ``path``: its source's digest (a folder's), else its sha256."""
    if source is not None:
        return source.digest(path)
    if path.is_dir():
        raise InputError(str(path), "is a directory")
    return file_sha256(path)
