"""Shared by the readers of installed environments and pip's JSON outputs.

The environment prefix a site-packages folder belongs to, PEP 610 direct-URL
records (``direct_url.json``, pip's ``direct_url`` and ``download_info``), the
environment artifact, and the entries of a JSON array with their lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any

from scoper.model import Artifact, Origin, Package, Records
from scoper.sources.base import ParseContext
from scoper.sources.packages import (
    COMMIT_RE,
    hash_table,
    make_package,
    normalise_hash,
    public_url,
    skipped,
)
from scoper.sources.sboms.fields import entry_lines

SITE_DIRS = frozenset({"site-packages", "dist-packages"})
_PYTHON_DIR = re.compile(r"^(python|pypy)\d+(\.\d+)?t?$", re.IGNORECASE)
_WINDOWS = re.compile(r"^[A-Za-z]:[\\/]|\\")


@dataclass(frozen=True, slots=True)
class DirectUrl:
    """What a PEP 610 record says about where a distribution came from."""

    source_url: str | None = None
    commit: str | None = None
    hashes: tuple[str, ...] = ()
    editable: bool = False


def pure_path(text: str) -> PurePath:
    """A pure path in the flavour the text is written in (Windows or POSIX)."""
    return PureWindowsPath(text) if _WINDOWS.search(text) else PurePosixPath(text)


def environment_prefix(site_dir: str) -> str:
    """The environment a site-packages folder belongs to.

    ``<prefix>/lib/python3.12/site-packages`` and ``<prefix>/Lib/site-packages``
    give ``<prefix>``; any other folder is its own environment.
    """
    path = pure_path(site_dir)
    if path.name.lower() not in SITE_DIRS:
        return site_dir
    parent = path.parent
    if _PYTHON_DIR.match(parent.name) and parent.parent.name.lower() in ("lib", "lib64"):
        return str(parent.parent.parent)
    if parent.name.lower() == "lib":
        return str(parent.parent)
    return site_dir


def direct_url(info: object) -> DirectUrl:
    """The URL (credentials masked), VCS commit, archive hashes and editable flag."""
    if not isinstance(info, dict):
        return DirectUrl()
    url = info.get("url")
    vcs = info.get("vcs_info")
    archive = info.get("archive_info")
    folder = info.get("dir_info")
    commit = vcs.get("commit_id") if isinstance(vcs, dict) else None
    hashes: list[str] = []
    if isinstance(archive, dict):
        hashes = hash_table(archive.get("hashes"))
        legacy = normalise_hash(archive.get("hash"))
        if legacy and legacy not in hashes:
            hashes.append(legacy)
    return DirectUrl(
        source_url=public_url(url) if isinstance(url, str) and url.strip() else None,
        commit=commit if isinstance(commit, str) and COMMIT_RE.match(commit) else None,
        hashes=tuple(hashes),
        editable=isinstance(folder, dict) and folder.get("editable") is True,
    )


def environment_artifact(ctx: ParseContext, name: str, environment: str | None = None) -> Artifact:
    """The one environment artifact an installed-environment input yields."""
    return Artifact(
        key="",
        kind="environment",
        name=name,
        origin=Origin(ctx.display),
        host=ctx.host,
        environment=environment,
    )


def array_entries(text: str, items: list[Any], key: str) -> list[tuple[str, int | None, Any]]:
    """``(place, line, item)`` for each element of the top-level array ``key``.

    ``key`` is "" for a document that is itself an array; ``text`` must be valid JSON.
    """
    pattern = re.compile(rf"{re.escape(key)}\[\d+\]")
    lines = entry_lines(text, lambda place: pattern.fullmatch(place) is not None)
    return [(f"{key}[{i}]", lines.get(f"{key}[{i}]"), item) for i, item in enumerate(items)]


def add_entries(
    records: Records,
    ctx: ParseContext,
    entries: list[tuple[str, int | None, Any]],
    build: Callable[[Any, int | None], Package | str],
) -> None:
    """Append the package ``build`` makes of each entry, or a Skipped with its reason."""
    for place, line, entry in entries:
        built = build(entry, line)
        if isinstance(built, str):
            records.skipped.append(skipped(ctx, line, place, built))
        else:
            records.packages.append(built)


def text_field(entry: object, key: str) -> str | None:
    """``entry[key]`` stripped when ``entry`` is an object and it is a non-empty string."""
    if not isinstance(entry, dict):
        return None
    value = entry.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def pip_entry_package(
    ctx: ParseContext, entry: Any, line: int | None, url_key: str, location_key: str = ""
) -> Package | str:
    """The package of a pip JSON entry (``metadata``, a PEP 610 record under ``url_key``,
    ``requested``), or why there is none."""
    metadata = entry.get("metadata") if isinstance(entry, dict) else None
    name = text_field(metadata, "name")
    if name is None:
        return "entry has no metadata.name"
    version = text_field(metadata, "version")
    if version is None:
        return f"{name}: no metadata.version"
    origin = direct_url(entry.get(url_key))
    requested = entry.get("requested")
    return make_package(
        ctx,
        "PyPI",
        name,
        line,
        version=version,
        hashes=origin.hashes,
        direct=requested if isinstance(requested, bool) else None,
        commit=origin.commit,
        source_url=origin.source_url,
        location=text_field(entry, location_key) if location_key else None,
    )
