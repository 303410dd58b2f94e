"""pyproject.toml: the dependencies a Python project declares (PEP 621, Poetry, PEP 735).

- ``[project] dependencies`` (no group) and ``[project.optional-dependencies]`` (the
  extra's name as group); ``dynamic = ["dependencies"]`` is noted (they live elsewhere);
- ``[dependency-groups]`` (PEP 735; the group's name; ``{include-group}`` is noted);
- ``[build-system] requires`` (group ``build-system``);
- ``[tool.poetry.dependencies]`` (``optional = true`` gives the group ``optional``),
  ``dev-dependencies`` (``dev``) and ``group.<name>.dependencies``; Poetry constraints
  are converted to PEP 440 (``poetry_specs``), the ``python`` entry is not a package.

Every entry keeps its specifier and gets no version; local path dependencies are skipped
as informational (nothing to match).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.lockfiles.manifests.declared import Lines, add_requirement
from scoper.sources.lockfiles.manifests.poetry_table import read_poetry
from scoper.sources.packages import load_toml_text, lockfile_artifact, skipped
from scoper.sources.reading import logical_name

HEADER_RE = re.compile(
    rb"^\[(project|dependency-groups|build-system|tool\.poetry)[\].]", re.MULTILINE
)


def _strings(
    records: Records, ctx: ParseContext, lines: Lines, values: object, where: tuple[str, int, str]
) -> None:
    """The requirement strings of one array (``where``: place, search start, group)."""
    place, start, group = where
    if not isinstance(values, list):
        records.skipped.append(skipped(ctx, lines.line(start), place, "not an array"))
        return
    for index, value in enumerate(values):
        if isinstance(value, dict) and isinstance(value.get("include-group"), str):
            reason = f"includes group {value['include-group']!r} (read where it is declared)"
            line = lines.quoted(value["include-group"], start)
            entry = f"{place}[{index}]"
            records.skipped.append(skipped(ctx, line, entry, reason, informational=True))
            continue
        line = lines.quoted(value, start) if isinstance(value, str) else lines.line(start)
        add_requirement(records, ctx, value, line, f"{place}[{index}]", group)


def _project(records: Records, ctx: ParseContext, lines: Lines, doc: dict[str, Any]) -> None:
    project = doc.get("project")
    if not isinstance(project, dict):
        return
    start = lines.anchor(r"^\[project\]")
    if "dependencies" in project:
        at = lines.anchor(r"^\s*dependencies\s*=", start)
        _strings(records, ctx, lines, project["dependencies"], ("project.dependencies", at, ""))
    dynamic = project.get("dynamic")
    for key in ("dependencies", "optional-dependencies"):
        if isinstance(dynamic, list) and key in dynamic:
            reason = f"{key} are dynamic: declared outside this file (e.g. setup.py)"
            line = lines.line(lines.anchor(r"^\s*dynamic\s*=", start))
            records.skipped.append(skipped(ctx, line, "project", reason, informational=True))
    extras = project.get("optional-dependencies")
    base = lines.anchor(r"^\[project\.optional-dependencies\]|^\s*optional-dependencies\s*=")
    for extra, values in extras.items() if isinstance(extras, dict) else []:
        at = lines.anchor(rf"^\s*[\"']?{re.escape(extra)}[\"']?\s*=", base)
        place = f"project.optional-dependencies.{extra}"
        _strings(records, ctx, lines, values, (place, at, extra))


def _tables(records: Records, ctx: ParseContext, lines: Lines, doc: dict[str, Any]) -> None:
    groups = doc.get("dependency-groups")
    base = lines.anchor(r"^\[dependency-groups\]")
    for group, values in groups.items() if isinstance(groups, dict) else []:
        at = lines.anchor(rf"^\s*[\"']?{re.escape(group)}[\"']?\s*=", base)
        _strings(records, ctx, lines, values, (f"dependency-groups.{group}", at, group))
    build = doc.get("build-system")
    if isinstance(build, dict) and "requires" in build:
        at = lines.anchor(r"^\s*requires\s*=", lines.anchor(r"^\[build-system\]"))
        where = ("build-system.requires", at, "build-system")
        _strings(records, ctx, lines, build["requires"], where)


class PyprojectToml(FileSource):
    """A Python project's pyproject.toml."""

    name = "pyproject.toml"
    kind: SourceKind = "lockfile"
    obtained = "the repository root (`pyproject.toml` of the project)"
    summary = (
        "Python project manifest (pyproject.toml: PEP 621, Poetry, PEP 735); the ranges "
        "behind a lock, e.g. the pyproject.toml at the root of a repository"
    )
    reads = (
        "declared ranges as specs, never versions: [project] dependencies and "
        "optional-dependencies (extra as group), [dependency-groups], [build-system] "
        "requires, [tool.poetry] dependencies / dev-dependencies / group.<name> (caret and "
        "tilde constraints as PEP 440); path dependencies and dynamic fields are noted"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        return logical_name(path) == "pyproject.toml" or bool(HEADER_RE.search(head))

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text, doc = load_toml_text(path, ctx.display)
        records = Records(artifacts=[lockfile_artifact(path, ctx)])
        lines = Lines(text)
        _project(records, ctx, lines, doc)
        _tables(records, ctx, lines, doc)
        read_poetry(records, ctx, lines, doc)
        return records


SOURCE = PyprojectToml()
