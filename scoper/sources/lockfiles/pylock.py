"""pylock.toml: the standard Python lockfile (PEP 751), ``pylock.toml`` or ``pylock.<name>.toml``.

Read leniently: every ``[[packages]]`` entry with a name is taken as it is
(``version`` is optional, e.g. for VCS or directory packages). The project
itself (a ``directory`` with path ``.``) is reported as Skipped. Strict PEP 751
validation (``packaging.pylock``) runs only as a diagnostic: a failure becomes
one Skipped note, never an error, because real producers (PDM) write files it
rejects.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from packaging.pylock import Pylock

from scoper.model import Package, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.packages import (
    TomlEntry,
    hash_table,
    make_package,
    public_url,
    read_toml_lockfile,
    skipped,
    str_field,
    unique,
)
from scoper.sources.reading import logical_name

NAME_RE = re.compile(r"^pylock\.([^.]+\.)?toml$")
PLACE_RE = re.compile(r"packages\[(\d+)\]")


def _table(entry: dict[str, Any], key: str) -> dict[str, Any]:
    value = entry.get(key)
    return value if isinstance(value, dict) else {}


def _hashes(entry: dict[str, Any]) -> tuple[str, ...]:
    files = [_table(entry, "archive"), _table(entry, "sdist")]
    wheels = entry.get("wheels")
    files += [w for w in wheels if isinstance(w, dict)] if isinstance(wheels, list) else []
    return unique([h for f in files for h in hash_table(f.get("hashes"))])


def _location(entry: dict[str, Any]) -> str | None:
    """Where the package comes from: VCS, archive or directory URL/path, else the index."""
    for key in ("vcs", "archive", "directory"):
        table = _table(entry, key)
        found = str_field(table, "url") or str_field(table, "path")
        if found:
            return found
    return str_field(entry, "index")


def _strict_problem(
    doc: dict[str, Any], ctx: ParseContext, lines: dict[int, int | None]
) -> Skipped | None:
    """A diagnostic note when strict PEP 751 validation rejects the document, else None."""
    try:
        Pylock.from_dict(doc)
    except Exception as exc:  # diagnostic only: whatever strict validation raises
        found = PLACE_RE.search(str(exc))
        line = lines.get(int(found.group(1))) if found else None
        reason = f"not strictly valid PEP 751 (entries were read leniently): {exc}"
        return skipped(ctx, line, "pylock", reason)
    return None


class PyLock(FileSource):
    """The PEP 751 lockfile."""

    name = "pylock.toml"
    kind: SourceKind = "lockfile"
    obtained = (
        "`pip lock -e .`, `uv export --format pylock.toml -o pylock.toml`, or `uv pip compile "
        "-o pylock.toml requirements.in`"
    )
    summary = "PEP 751 lockfile (pylock.toml, pylock.<name>.toml)"
    reads = (
        "[[packages]] name and optional version, VCS commit-id, archive/sdist/wheel hashes, "
        "source URL or index; the project directory itself is skipped; strict PEP 751 "
        "validation is reported as a note only"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if NAME_RE.match(logical_name(path)):
            return True
        return b"lock-version = " in head and b"[[packages]]" in head

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        doc, records, entries = read_toml_lockfile(path, ctx, "packages")
        for entry in entries:
            if _table(entry.table, "directory").get("path") == ".":
                reason = "the project itself (directory '.')"
                place = f"packages[{entry.index}]"
                records.skipped.append(skipped(ctx, entry.line, place, reason, informational=True))
            else:
                records.packages.append(self._package(ctx, entry))
        problem = _strict_problem(doc, ctx, {e.index: e.line for e in entries})
        if problem is not None:
            records.skipped.append(problem)
        return records

    def _package(self, ctx: ParseContext, entry: TomlEntry) -> Package:
        location = _location(entry.table)
        return make_package(
            ctx,
            "PyPI",
            entry.name,
            entry.line,
            version=str_field(entry.table, "version"),
            hashes=_hashes(entry.table),
            commit=str_field(_table(entry.table, "vcs"), "commit-id"),
            source_url=public_url(location) if location else None,
        )


SOURCE = PyLock()
