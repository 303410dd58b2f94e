"""Pipfile: Pipenv's manifest (TOML) of the ranges behind Pipfile.lock.

``[packages]`` (no group), ``[dev-packages]`` (group ``dev``) and any custom category
table (its name as group) map names to a specifier (``"*"``, ``">=2.0"``, ``"==4.*"``) or
a table (``version``, ``git`` with ``ref``, ``file``, ``path``, ``editable``, markers).
A bare version (``"3.*"``) means ``==`` as in Pipenv. Every entry keeps its spec and gets
no version; ``path`` dependencies (the project itself, editable checkouts) are noted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.lockfiles.manifests.declared import Lines, local_path
from scoper.sources.packages import (
    COMMIT_RE,
    load_toml_text,
    lockfile_artifact,
    make_package,
    public_url,
    skipped,
    str_field,
)
from scoper.sources.reading import logical_name

NOT_PACKAGES = ("source", "requires", "scripts", "pipenv")
OPERATORS = ("=", "<", ">", "~", "!")
SECTION_RE = re.compile(rb"^\[(dev-)?packages\][ \t]*\r?$", re.MULTILINE)
SOURCE_RE = re.compile(rb"^\[\[source\]\]", re.MULTILINE)


def _spec(version: str) -> str:
    """Pipenv's specifier as PEP 440: ``*`` is any version, a bare version means ``==``."""
    text = version.strip()
    if text in ("", "*"):
        return ""
    return text if text.startswith(OPERATORS) else f"=={text}"


def _source(table: dict[str, Any]) -> tuple[str, str | None, str] | None:
    """(spec, commit, url) of a git or file dependency, else None."""
    git, file = str_field(table, "git"), str_field(table, "file")
    if git:
        ref = str_field(table, "ref")
        shown = public_url(git)
        spec = f"@ git+{shown.removeprefix('git+')}" + (f"@{ref}" if ref else "")
        return spec, ref if ref and COMMIT_RE.match(ref) else None, shown
    return (f"@ {public_url(file)}", None, public_url(file)) if file else None


class Pipfile(FileSource):
    """Pipenv's Pipfile."""

    name = "Pipfile"
    kind: SourceKind = "lockfile"
    obtained = "the repository root of a Pipenv project"
    summary = (
        "Pipenv manifest (Pipfile, TOML): the ranges behind Pipfile.lock, committed at the "
        "root of a Pipenv project"
    )
    reads = (
        "declared ranges as specs, never versions: [packages], [dev-packages] (group 'dev') "
        "and custom categories; git ref commits and file URLs; path/editable dependencies "
        "are noted"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if logical_name(path) == "Pipfile":
            return True
        return bool(SECTION_RE.search(head)) or (
            bool(SOURCE_RE.search(head)) and b"verify_ssl" in head
        )

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_toml_text(path, ctx.display)
        records = Records(artifacts=[lockfile_artifact(path, ctx)])
        lines = Lines(text)
        for section, table in doc.items():
            if section in NOT_PACKAGES or not isinstance(table, dict):
                continue
            group = {"packages": "", "dev-packages": "dev"}.get(section, section)
            start = lines.anchor(rf"^\[{re.escape(section)}\]")
            for name, value in table.items():
                self._entry(records, ctx, (name, lines.key(name, start), section), value, group)
        return records

    def _entry(
        self,
        records: Records,
        ctx: ParseContext,
        entry: tuple[str, int | None, str],
        value: object,
        group: str,
    ) -> None:
        name, line, section = entry
        place = f"{section}.{name}"
        table = value if isinstance(value, dict) else {"version": value}
        path = str_field(table, "path")
        if path is not None:
            local_path(records, ctx, line, place, path)
            return
        groups = (group,) if group else ()
        source = _source(table)
        version = table.get("version", "*")
        if source is None and not isinstance(version, str):
            records.skipped.append(skipped(ctx, line, place, "version is not a string"))
            return
        spec, commit, url = source or (_spec(str(version)), None, None)
        fields = {"spec": spec, "direct": True, "groups": groups, "commit": commit}
        records.packages.append(make_package(ctx, "PyPI", name, line, source_url=url, **fields))


SOURCE = Pipfile()
