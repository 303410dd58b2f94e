"""package.json: the ranges an npm project declares.

``dependencies`` (no group), ``devDependencies`` (``dev``), ``optionalDependencies``
(``optional``) and ``peerDependencies`` (``peer``) map names to npm specs: semver ranges
(``^4.17.1``, ``~1.2``, ``2.1.0``, ``*``), dist-tags, git and hosted-git shorthands
(``github:o/r``), tarball URLs, and ``npm:<name>@<range>`` aliases (read as the aliased
package). Every entry keeps its spec as written and gets no version; local ones
(``file:``, ``link:``, ``workspace:``, ``portal:``, paths) are noted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.lockfiles.manifests.declared import Lines, local_path
from scoper.sources.lockfiles.npmlock import git_commit
from scoper.sources.packages import (
    load_json_object,
    lockfile_artifact,
    make_package,
    public_url,
    skipped,
)
from scoper.sources.reading import json_head, logical_name

SECTIONS = {
    "dependencies": (),
    "devDependencies": ("dev",),
    "optionalDependencies": ("optional",),
    "peerDependencies": ("peer",),
}
LOCAL_PREFIXES = ("file:", "link:", "workspace:", "portal:", "./", "../", "/", "~/")
SECTION_RE = re.compile(
    rb'"(dependencies|devDependencies|optionalDependencies|peerDependencies)"\s*:\s*\{'
)
LINKED_RE = re.compile(
    r"^(git\+|git:|ssh:|https?:|github:|gitlab:|bitbucket:|gist:)|^[\w.-]+/[\w.-]+(#.*)?$"
)


def _entry(
    records: Records,
    ctx: ParseContext,
    where: tuple[str, int | None, str],
    spec: str,
    groups: tuple[str, ...],
) -> None:
    """One declared dependency as a Package, or a note for a local one."""
    name, line, place = where
    if spec.startswith(LOCAL_PREFIXES):
        local_path(records, ctx, line, place, spec)
        return
    if spec.startswith("npm:") and "@" in spec[5:]:
        name, _, spec = spec[4:].rpartition("@")
    url, commit = git_commit(spec) if LINKED_RE.match(spec) else (None, None)
    shown = public_url(spec)
    records.packages.append(
        make_package(
            ctx,
            "npm",
            name,
            line,
            spec=shown,
            direct=True,
            groups=groups,
            commit=commit,
            source_url=public_url(url) if url else None,
        )
    )


def _section(records: Records, ctx: ParseContext, lines: Lines, key: str, table: Any) -> None:
    start = lines.anchor(rf'^\s*"{re.escape(key)}"\s*:')
    if not isinstance(table, dict):
        records.skipped.append(skipped(ctx, lines.line(start), key, "not an object"))
        return
    for name, spec in table.items():
        line = lines.key(name, start)
        place = f"{key}.{name}"
        if not isinstance(spec, str) or not name.strip():
            records.skipped.append(skipped(ctx, line, place, "spec is not a string"))
        else:
            _entry(records, ctx, (name, line, place), spec.strip(), SECTIONS[key])


class PackageJson(FileSource):
    """An npm project's package.json."""

    name = "package.json"
    kind: SourceKind = "lockfile"
    obtained = "the repository root of a Node.js project (and each workspace folder)"
    summary = "npm project manifest (package.json) at the root of a Node.js project or workspace"
    reads = (
        "declared ranges as npm specs, never versions: dependencies, devDependencies (group "
        "'dev'), optionalDependencies ('optional'), peerDependencies ('peer'); npm: aliases as "
        "the aliased package, git commits; file:/link:/workspace: dependencies are noted"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if logical_name(path) == "package.json":
            return True
        body = json_head(head)
        return (
            body[:1] == b"{" and b'"lockfileVersion"' not in body and bool(SECTION_RE.search(body))
        )

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_object(path, ctx.display)
        records = Records(artifacts=[lockfile_artifact(path, ctx)])
        if doc is None:
            raise InputError(ctx.display, "empty package.json")
        lines = Lines(text)
        for key in SECTIONS:
            if key in doc:
                _section(records, ctx, lines, key, doc[key])
        return records


SOURCE = PackageJson()
