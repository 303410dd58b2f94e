"""Pipfile.lock: Pipenv's lockfile (JSON).

``default`` and ``develop`` (and any custom Pipfile category) map names to
``{version: "==X", hashes, markers, index}``. ``develop`` becomes the group
``dev``; a custom category keeps its name. Git entries carry ``git`` and ``ref``
(the commit) and usually no version; the project itself (``path = "."``) is
reported as Skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.packages import (
    COMMIT_RE,
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

PINNED_RE = re.compile(r"^===?\s*([^\s,;=<>!~*]+)$")
KNOWN_KEYS = ("_meta", "default", "develop")


def _groups(section: str) -> tuple[str, ...]:
    return {"default": (), "develop": ("dev",)}.get(section, (section,))


def _version(entry: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(version, spec)``: the version when pinned with ``==``, else the spec as written."""
    written = str_field(entry, "version")
    if written is None:
        return None, None
    pinned = PINNED_RE.match(written.strip())
    return (pinned.group(1), None) if pinned else (None, written.strip())


def _hashes(entry: dict[str, Any]) -> tuple[str, ...]:
    values = entry.get("hashes")
    found = (normalise_hash(v) for v in values) if isinstance(values, list) else ()
    return unique([h for h in found if h])


class PipfileLock(FileSource):
    """Pipenv's lockfile."""

    name = "Pipfile.lock"
    kind: SourceKind = "lockfile"
    obtained = "`pipenv lock` writes it beside the Pipfile at the project root"
    summary = "Pipenv lockfile (Pipfile.lock, JSON)"
    reads = (
        "default/develop (and custom category) entries: name, ==version, hashes, git ref "
        "commit, path/file sources; develop becomes the group 'dev'"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if logical_name(path) == "Pipfile.lock":
            return True
        return head.lstrip()[:1] == b"{" and b'"_meta"' in head and b'"pipfile-spec"' in head

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_json_object(path, ctx.display)
        records = Records(artifacts=[lockfile_artifact(path, ctx)])
        if doc is None:
            return records
        if not any(key in doc for key in KNOWN_KEYS):
            raise InputError(ctx.display, "not a Pipfile.lock: no _meta, default or develop")
        lines = json_key_lines(text)
        for section, entries in doc.items():
            if section == "_meta":
                continue
            if not isinstance(entries, dict):
                reason = "section is not an object"
                records.skipped.append(skipped(ctx, None, section, reason))
                continue
            for name, entry in entries.items():
                line = lines.get((section, name))
                place = f"{section}.{name}"
                if not isinstance(entry, dict) or not name.strip():
                    reason = "entry is not an object with a name"
                    records.skipped.append(skipped(ctx, line, place, reason))
                elif entry.get("path") == ".":
                    reason = "the project itself (path '.')"
                    records.skipped.append(skipped(ctx, line, place, reason, informational=True))
                else:
                    records.packages.append(self._package(ctx, section, name, entry, line))
        return records

    def _package(
        self, ctx: ParseContext, section: str, name: str, entry: dict[str, Any], line: int | None
    ) -> Package:
        version, spec = _version(entry)
        ref = str_field(entry, "ref")
        location = str_field(entry, "git") or str_field(entry, "path") or str_field(entry, "file")
        return make_package(
            ctx,
            "PyPI",
            name,
            line,
            version=version,
            spec=spec,
            hashes=_hashes(entry),
            groups=_groups(section),
            commit=ref if ref and COMMIT_RE.match(ref) else None,
            source_url=public_url(location) if location else None,
        )


SOURCE = PipfileLock()
