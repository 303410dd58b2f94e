"""npm package-lock.json and npm-shrinkwrap.json, lockfile versions 1 to 3.

v2 and v3 list ``packages`` keyed by install path (``node_modules/a``,
``node_modules/@s/b``, ``node_modules/a/node_modules/c``); the name comes from
the entry's ``name`` (aliases) or the path. v1 nests ``dependencies``; an
alias is written ``npm:<name>@<version>``. Every install path is one Package
(``location``), so one name@version can appear several times. The root entry
``""`` and ``link`` entries are Skipped. npm ignores package-lock.json when an
npm-shrinkwrap.json sits beside it, and so does this reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.packages import (
    commit_fragment,
    json_key_lines,
    load_json_object,
    lockfile_artifact,
    make_package,
    normalise_hash,
    public_url,
    skipped,
    str_field,
    unique,
)
from scoper.sources.reading import logical_name

FILE_NAMES = ("package-lock.json", "npm-shrinkwrap.json")
GIT_PREFIXES = ("git+", "git://", "ssh://", "github:", "gitlab:", "bitbucket:", "gist:")
GIT_HOSTS_RE = re.compile(r"^[a-z+]+://([^/@]*@)?(github\.com|gitlab\.com|bitbucket\.org)[/:]")
CODELOAD_RE = re.compile(r"^https://codeload\.github\.com/[^/]+/[^/]+/tar\.gz/([0-9a-fA-F]{7,64})$")
Flags = dict[str, tuple[str, ...]]
V2_FLAGS: Flags = {
    "dev": ("dev",),
    "optional": ("optional",),
    "devOptional": ("dev", "optional"),
    "inBundle": ("bundled",),
    "peer": ("peer",),
}
V1_FLAGS: Flags = {"dev": ("dev",), "optional": ("optional",), "bundled": ("bundled",)}
Walked = tuple[tuple[str, ...], str, str, object]  # key path, location, key, entry


def git_commit(spec: str) -> tuple[str, str | None]:
    """``(spec without #fragment, commit)`` for a git URL or hosted-git shorthand."""
    found = CODELOAD_RE.match(spec)
    if found:
        return spec, found.group(1)
    base, commit = commit_fragment(spec)
    is_git = base.startswith(GIT_PREFIXES) or base.endswith(".git") or GIT_HOSTS_RE.match(base)
    return (base, commit) if is_git else (spec, None)


def name_from_path(path: str) -> str:
    """Package name from an install path: after the last ``node_modules/``, else the tail."""
    tail = path.rpartition("node_modules/")[2].strip("/")
    parts = tail.split("/")
    return "/".join(parts[-2:]) if len(parts) > 1 and parts[-2].startswith("@") else parts[-1]


def _groups(entry: dict[str, Any], flags: Flags) -> tuple[str, ...]:
    found = {g for flag, names in flags.items() if entry.get(flag) is True for g in names}
    return tuple(sorted(found))


def _hashes(entry: dict[str, Any]) -> tuple[str, ...]:
    integrity = str_field(entry, "integrity") or ""
    found = (normalise_hash(part) for part in integrity.split())
    return unique([h for h in found if h])


def _walk_v1(deps: dict[str, Any]) -> Iterator[Walked]:
    """Nested v1 ``dependencies`` in document order, without recursion."""
    stack: list[tuple[tuple[str, ...], str, Iterator[tuple[str, Any]]]] = [
        (("dependencies",), "", iter(deps.items()))
    ]
    while stack:
        keys, prefix, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        name, entry = item
        location = f"{prefix}node_modules/{name}"
        yield (*keys, name), location, name, entry
        nested = entry.get("dependencies") if isinstance(entry, dict) else None
        if isinstance(nested, dict):
            stack.append(((*keys, name, "dependencies"), location + "/", iter(nested.items())))


class NpmLock(FileSource):
    """npm's lockfile."""

    name = "package-lock.json"
    kind: SourceKind = "lockfile"
    obtained = "`npm install` (or `npm install --package-lock-only`) writes it at the project root"
    summary = "npm lockfile (package-lock.json / npm-shrinkwrap.json, lockfile v1-v3)"
    reads = (
        "every installed package: name (path, alias or scoped), version, resolved URL and git "
        "commit, integrity hashes, dev/optional/bundled/peer groups, install path"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        name = logical_name(path)
        if name in FILE_NAMES:
            return True
        start = head.lstrip()[:1] == b"{"
        return name.endswith(".json") and start and b'"lockfileVersion"' in head

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        records = Records(artifacts=[lockfile_artifact(path, ctx)])
        if logical_name(path) == FILE_NAMES[0] and self._shrinkwrap_beside(path):
            reason = "npm-shrinkwrap.json in the same directory takes precedence; npm ignores this"
            records.skipped.append(skipped(ctx, None, "package-lock.json", reason))
            return records
        text, doc = load_json_object(path, ctx.display)
        if doc is None:
            return records
        lines = json_key_lines(text)
        packages, dependencies = doc.get("packages"), doc.get("dependencies")
        if isinstance(packages, dict):
            self._read_v2(ctx, packages, lines, records)
        elif isinstance(dependencies, dict):
            self._read_v1(ctx, dependencies, lines, records)
        elif "lockfileVersion" not in doc:
            raise InputError(ctx.display, "not an npm lockfile: no packages or dependencies")
        return records

    @staticmethod
    def _shrinkwrap_beside(path: Path) -> bool:
        return any((path.parent / (FILE_NAMES[1] + gz)).is_file() for gz in ("", ".gz"))

    def _read_v2(
        self,
        ctx: ParseContext,
        packages: dict[str, Any],
        lines: dict[tuple[str, ...], int],
        records: Records,
    ) -> None:
        for key, entry in packages.items():
            line = lines.get(("packages", key))
            place = f"packages[{key!r}]"
            if not isinstance(entry, dict):
                records.skipped.append(skipped(ctx, line, place, "entry is not an object"))
            elif key == "":
                records.skipped.append(
                    skipped(ctx, line, place, "the project itself", informational=True)
                )
            elif entry.get("link") is True:
                target = str_field(entry, "resolved") or "?"
                reason = f"link to {target!r} (listed under its own path)"
                records.skipped.append(skipped(ctx, line, place, reason, informational=True))
            else:
                name = str_field(entry, "name") or name_from_path(key)
                records.packages.append(self._package(ctx, name, line, key, entry, V2_FLAGS))

    def _read_v1(
        self,
        ctx: ParseContext,
        deps: dict[str, Any],
        lines: dict[tuple[str, ...], int],
        records: Records,
    ) -> None:
        for keys, location, name, entry in _walk_v1(deps):
            line = lines.get(keys)
            if not isinstance(entry, dict):
                place = f"dependencies[{name!r}]"
                records.skipped.append(skipped(ctx, line, place, "entry is not an object"))
                continue
            version = str_field(entry, "version") or ""
            if version.startswith("npm:") and "@" in version[5:]:
                name, _, version = version[4:].rpartition("@")
                entry = {**entry, "version": version}
            records.packages.append(self._package(ctx, name, line, location, entry, V1_FLAGS))

    def _package(
        self,
        ctx: ParseContext,
        name: str,
        line: int | None,
        location: str,
        entry: dict[str, Any],
        flags: Flags,
    ) -> Package:
        version = str_field(entry, "version")
        spec = version if version and (":" in version or "/" in version) else None
        url, commit = git_commit(spec or str_field(entry, "resolved") or "")
        return make_package(
            ctx,
            "npm",
            name,
            line,
            version=None if spec else version,  # a v1 git, file or URL spec is no version
            hashes=_hashes(entry),
            groups=_groups(entry, flags),
            commit=commit,
            source_url=public_url(url) if url else None,
            location=location,
        )


SOURCE = NpmLock()
