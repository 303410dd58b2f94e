"""uv.lock: uv's universal lockfile (TOML, ``[[package]]`` entries).

Every ``[[package]]`` is one locked distribution; one name may appear with several
versions (forked resolution). The project itself and workspace members appear
with a ``virtual`` or ``editable`` source: they are reported as Skipped, and their
``optional-dependencies`` / ``dev-dependencies`` give the groups of the packages
reachable only through them. Per-file ``upload-time`` values are not kept, nor
``[options] exclude-newer`` (the model has no field for a resolution cut-off).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scoper.model import Package, Records
from scoper.names import canonical
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.packages import (
    TomlEntry,
    commit_fragment,
    make_package,
    normalise_hash,
    public_url,
    read_toml_lockfile,
    skipped,
    str_field,
    unique,
)
from scoper.sources.reading import logical_name

SOURCE_KINDS = ("registry", "git", "url", "path", "directory", "editable", "virtual")
VERSION_LINE_RE = re.compile(rb"^version = \d+\s*$", re.MULTILINE)
Node = tuple[str, str]  # (canonical name, extra or "" for the package itself)


def _source(entry: dict[str, Any]) -> tuple[str | None, str | None]:
    """The entry's source kind and its value (URL or path)."""
    source = entry.get("source")
    if isinstance(source, dict):
        for kind in SOURCE_KINDS:
            value = source.get(kind)
            if isinstance(value, str):
                return kind, value
    return None, None


def _members(doc: dict[str, Any]) -> set[str]:
    manifest = doc.get("manifest")
    members = manifest.get("members") if isinstance(manifest, dict) else None
    if not isinstance(members, list):
        return set()
    return {canonical("PyPI", m) for m in members if isinstance(m, str)}


def _is_root(entry: dict[str, Any], members: set[str]) -> bool:
    kind, value = _source(entry)
    if kind == "virtual":
        return True
    name = str_field(entry, "name") or ""
    return kind == "editable" and (value == "." or canonical("PyPI", name) in members)


def _dep_nodes(deps: object) -> list[Node]:
    """Graph nodes named by a ``dependencies``-style list (with requested extras)."""
    nodes: list[Node] = []
    for dep in deps if isinstance(deps, list) else []:
        name = str_field(dep, "name") if isinstance(dep, dict) else None
        if name is None:
            continue
        target = canonical("PyPI", name)
        nodes.append((target, ""))
        extras = dep.get("extra")
        if isinstance(extras, list):
            nodes += [(target, x) for x in extras if isinstance(x, str)]
    return nodes


def _reach(by_name: dict[str, list[dict[str, Any]]], starts: list[Node]) -> set[str]:
    """Names reachable from ``starts`` through dependencies and requested extras."""
    seen: set[Node] = set()
    stack = list(starts)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        name, extra = node
        for entry in by_name.get(name, []):
            if not extra:
                stack += _dep_nodes(entry.get("dependencies"))
                continue
            optional = entry.get("optional-dependencies")
            stack += _dep_nodes(optional.get(extra) if isinstance(optional, dict) else None)
    return {name for name, _ in seen}


def _groups(entries: list[Any], members: set[str]) -> dict[str, tuple[str, ...]]:
    """Groups of every name reachable only through the roots' extras or dev groups."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    roots: list[dict[str, Any]] = []
    for entry in entries:
        name = str_field(entry, "name") if isinstance(entry, dict) else None
        if name is not None:
            by_name.setdefault(canonical("PyPI", name), []).append(entry)
            roots += [entry] if _is_root(entry, members) else []
    main = _reach(by_name, [(canonical("PyPI", str(r["name"])), "") for r in roots])
    starts: dict[str, list[Node]] = {}
    for root in roots:
        for key in ("optional-dependencies", "dev-dependencies"):
            table = root.get(key)
            for group, deps in table.items() if isinstance(table, dict) else []:
                starts.setdefault(group, []).extend(_dep_nodes(deps))
    reach = {group: _reach(by_name, nodes) for group, nodes in starts.items()}
    result: dict[str, tuple[str, ...]] = {}
    for name in by_name:
        if name not in main:
            result[name] = tuple(sorted(g for g, names in reach.items() if name in names))
    return result


def _hashes(entry: dict[str, Any]) -> tuple[str, ...]:
    files: list[Any] = [entry.get("sdist")]
    wheels = entry.get("wheels")
    files += wheels if isinstance(wheels, list) else []
    found = (normalise_hash(f.get("hash")) for f in files if isinstance(f, dict))
    return unique([h for h in found if h])


class UvLock(FileSource):
    """uv's lockfile."""

    name = "uv.lock"
    kind: SourceKind = "lockfile"
    obtained = "`uv lock` writes it at the project root, committed beside pyproject.toml"
    summary = "uv lockfile (uv.lock, TOML)"
    reads = (
        "[[package]] name and version (several versions of one name), source (registry, git "
        "commit, url, path, directory), sdist and wheel hashes, dependency groups derived from "
        "the project's extras and dev groups; the virtual/editable project root is skipped"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if logical_name(path) == "uv.lock":
            return True
        return bool(VERSION_LINE_RE.search(head)) and b"source = {" in head

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        doc, records, entries = read_toml_lockfile(path, ctx, "package")
        members = _members(doc)
        groups = _groups([e.table for e in entries], members)
        for entry in entries:
            if _is_root(entry.table, members):
                kind, value = _source(entry.table)
                reason = f"the project itself or a workspace member ({kind} source {value!r})"
                place = f"package[{entry.index}]"
                records.skipped.append(skipped(ctx, entry.line, place, reason, informational=True))
            else:
                records.packages.append(self._package(ctx, entry, groups))
        return records

    def _package(
        self, ctx: ParseContext, entry: TomlEntry, groups: dict[str, tuple[str, ...]]
    ) -> Package:
        kind, value = _source(entry.table)
        commit = None
        if kind == "git" and value is not None:
            value, commit = commit_fragment(value)
        return make_package(
            ctx,
            "PyPI",
            entry.name,
            entry.line,
            version=str_field(entry.table, "version"),
            hashes=_hashes(entry.table),
            groups=groups.get(canonical("PyPI", entry.name), ()),
            commit=commit,
            source_url=public_url(value) if value else None,
        )


SOURCE = UvLock()
