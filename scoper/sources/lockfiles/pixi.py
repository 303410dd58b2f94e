"""pixi.lock: pixi's multi-platform lockfile (YAML), versions 4 to 7.

``environments.<env>.packages.<platform>`` lists ``{conda: <url>}`` / ``{pypi: <url>}``;
the top-level ``packages`` list describes each once. Version 4 writes ``kind: conda|pypi``
with ``url`` (or ``path``); versions 5 and later key each entry by ``conda:`` / ``pypi:``,
and from version 6 a conda entry names no ``name``/``version`` when its archive file name
says them. Packages of the ``default`` environment are in no group; the others get the
names of the environments that list them. Local sources (a path, the project itself) are
noted as informational; a local archive file is read like a URL. Read with PyYAML's base
loader: every scalar stays a string.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.lockfiles.conda import archive_fields, conda_package, redact
from scoper.sources.packages import hash_table, lockfile_artifact, make_package, skipped
from scoper.sources.reading import logical_name, read_text
from scoper.sources.yaml_lines import load_yaml

HEAD_RE = re.compile(
    rb"^version: ['\"]?[4-9]['\"]?[ \t]*\r?\n(platforms|environments|packages):", re.MULTILINE
)
URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
ARCHIVES = (".whl", ".tar.gz", ".zip", ".conda", ".tar.bz2")
Entry = dict[str, Any]


def _where(entry: Entry) -> tuple[str, str | None]:
    """(manager, location): ``conda`` or ``pypi``, and the URL or path of the entry."""
    for manager in ("conda", "pypi"):
        if isinstance(entry.get(manager), str):
            return manager, entry[manager]
    kind = entry.get("kind")
    location = entry.get("url") or entry.get("path")
    return (kind if kind in ("conda", "pypi") else "?"), location if isinstance(
        location, str
    ) else None


def _environments(doc: dict[str, Any]) -> dict[str, set[str]]:
    """Location -> names of the environments that list it (any platform)."""
    found: dict[str, set[str]] = {}
    environments = doc.get("environments")
    for env, body in environments.items() if isinstance(environments, dict) else []:
        platforms = body.get("packages") if isinstance(body, dict) else None
        for items in platforms.values() if isinstance(platforms, dict) else []:
            for item in items if isinstance(items, list) else []:
                _, location = _where(item) if isinstance(item, dict) else ("?", None)
                if location is not None:
                    found.setdefault(location, set()).add(env)
    return found


def _groups(envs: set[str]) -> tuple[str, ...]:
    return () if not envs or "default" in envs else tuple(sorted(envs))


def _conda(
    ctx: ParseContext, entry: Entry, url: str, line: int | None, groups: tuple[str, ...]
) -> Package | str:
    fields = archive_fields(url) or {}
    name = entry.get("name") or fields.get("name")
    version = entry.get("version") or fields.get("version")
    if not isinstance(name, str) or not isinstance(version, str):
        return "conda entry without name or version (neither written nor in the file name)"
    return conda_package(
        ctx, name, version, line,
        build=entry.get("build") or fields.get("build"),
        channel=fields.get("channel"),
        subdir=entry.get("subdir") or fields.get("subdir"),
        hashes=tuple(hash_table({k: entry.get(k) for k in ("md5", "sha256")})),
        groups=groups,
        source_url=redact(url),
    )  # fmt: skip


def _pypi(
    ctx: ParseContext, entry: Entry, url: str, line: int | None, groups: tuple[str, ...]
) -> Package | str:
    name, version = entry.get("name"), entry.get("version")
    if not isinstance(name, str) or not isinstance(version, str):
        return "pypi entry without name or version"
    hashes = tuple(hash_table({k: entry.get(k) for k in ("md5", "sha256")}))
    return make_package(
        ctx,
        "PyPI",
        name,
        line,
        version=version,
        hashes=hashes,
        groups=groups,
        source_url=redact(url),
    )


def _entry(
    ctx: ParseContext, entry: object, line: int | None, environments: dict[str, set[str]]
) -> Package | tuple[str, bool]:
    """The Package of one ``packages`` entry, or (why not, whether nothing was lost)."""
    manager, location = _where(entry) if isinstance(entry, dict) else ("?", None)
    if not isinstance(entry, dict) or location is None or manager == "?":
        return "entry has no conda or pypi location", False
    if not URL_RE.match(location) and not location.endswith(ARCHIVES):
        return f"local {manager} source {location!r} (built from the workspace, no version)", True
    groups = _groups(environments.get(location, set()))
    reader = _conda if manager == "conda" else _pypi
    found = reader(ctx, entry, location, line, groups)
    return (found, False) if isinstance(found, str) else found


class PixiLock(FileSource):
    """pixi's lockfile."""

    name = "pixi.lock"
    kind: SourceKind = "lockfile"
    obtained = "`pixi lock` (or `pixi install`) writes it beside pixi.toml"
    summary = "pixi lockfile (pixi.lock, YAML, versions 4-7), committed beside pixi.toml"
    reads = (
        "packages[]: conda entries (name, version, build, channel, subdir from the fields or "
        "the archive URL; md5/sha256) and pypi entries (name, version, sha256, URL); groups "
        "from the non-default environments that list them; local path and source packages "
        "are noted"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        return logical_name(path) == "pixi.lock" or bool(HEAD_RE.search(head))

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        doc, lines = load_yaml(read_text(path, ctx.display), ctx.display)
        if not isinstance(doc, dict) or not isinstance(doc.get("packages", []), list):
            message = "not a pixi.lock: expected a mapping with a packages list"
            raise InputError(ctx.display, message)
        records = Records(artifacts=[lockfile_artifact(path, ctx)])
        environments = _environments(doc)
        for index, entry in enumerate(doc.get("packages", [])):
            line = lines.get(id(entry)) if isinstance(entry, dict) else None
            found = _entry(ctx, entry, line, environments)
            if isinstance(found, Package):
                records.packages.append(found)
            else:
                reason, informational = found
                place = f"packages[{index}]"
                records.skipped.append(
                    skipped(ctx, line, place, reason, informational=informational)
                )
        return records


SOURCE = PixiLock()
