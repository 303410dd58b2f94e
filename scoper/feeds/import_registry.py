"""The import shapes, in the order they are tried, and the record decoders by suffix.

A path is read by the first importer that claims it: a directory by the tree, a zip
by its magic bytes (whatever its name), a ``.yaml``/``.yml`` file as PYSEC YAML, any
other file as OSV JSON. Each member is decoded by its suffix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from scoper.feeds.fields import advisory_error
from scoper.feeds.import_base import Importer, Member
from scoper.feeds.import_json import JsonFile, decode_json
from scoper.feeds.import_tree import FolderTree
from scoper.feeds.import_yaml import YAML_SUFFIXES, YamlFile, decode_yaml
from scoper.feeds.import_zip import ZipArchive
from scoper.limits import Limits, current

IMPORTERS: tuple[Importer, ...] = (FolderTree(), ZipArchive(), YamlFile(), JsonFile())


def importer_for(path: Path) -> Importer:
    """The importer that reads ``path``; a missing path is an AdvisoryError (exit 3)."""
    for importer in IMPORTERS:
        if importer.claims(path):
            return importer
    raise advisory_error(str(path), "", "no such file or directory")


def members(path: Path, limits: Limits | None = None) -> Iterator[Member]:
    """The record files of ``path`` (file, folder tree or zip), within ``limits``."""
    bounds = limits or current()
    yield from importer_for(path).members(path, bounds)


def decode(member: Member, limits: Limits | None = None, raw: bytes | None = None) -> Any:
    """The parsed value of one member (YAML by suffix, else JSON); ``raw``: its bytes,
    when already read."""
    data = member.read() if raw is None else raw
    return _decoder(member)(data, member.display, limits or current())


def json_text(member: Member, raw: bytes) -> str | None:
    """The member's JSON text as read, when it is plain JSON (not YAML, not gzip)."""
    if member.name.suffix.lower() in YAML_SUFFIXES or raw[:2] == b"\x1f\x8b":
        return None
    return raw.decode("utf-8-sig")


def _decoder(member: Member) -> Callable[[bytes, str, Limits], Any]:
    if member.name.suffix.lower() in YAML_SUFFIXES:
        return lambda raw, shown, _limits: decode_yaml(raw, shown)
    return decode_json
