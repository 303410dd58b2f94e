"""``[tool.poetry]`` dependency tables of a pyproject.toml, as spec-only Packages.

A value is a constraint string, a table (``version``, ``git`` with ``rev``/``tag``/
``branch``, ``url``, ``path``, ``optional``) or an array of tables (one per marker).
A ``||`` constraint gives one Package per alternative (one range each); git and URL
dependencies keep ``@ <url>`` as their spec.
"""

from __future__ import annotations

import re
from typing import Any

from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.manifests.declared import Lines, local_path
from scoper.sources.lockfiles.manifests.poetry_specs import poetry_specs
from scoper.sources.packages import COMMIT_RE, make_package, public_url, skipped, str_field

Entry = tuple[str, int | None, str]  # name, line, place


def _tables(poetry: dict[str, Any]) -> list[tuple[str, str, object]]:
    """(place, group, table) of every dependency table Poetry knows."""
    found: list[tuple[str, str, object]] = [
        ("tool.poetry.dependencies", "", poetry.get("dependencies")),
        ("tool.poetry.dev-dependencies", "dev", poetry.get("dev-dependencies")),
    ]
    groups = poetry.get("group")
    for name, group in groups.items() if isinstance(groups, dict) else []:
        deps = group.get("dependencies") if isinstance(group, dict) else None
        found.append((f"tool.poetry.group.{name}.dependencies", name, deps))
    return found


def _source(value: dict[str, Any]) -> tuple[str, str | None, str] | None:
    """(spec, commit, url) of a git or URL dependency, else None."""
    git, url = str_field(value, "git"), str_field(value, "url")
    if git:
        ref = next((str_field(value, k) for k in ("rev", "tag", "branch") if value.get(k)), None)
        commit = ref if ref and COMMIT_RE.match(ref) else None
        shown = public_url(git)
        return f"@ git+{shown}" + (f"@{ref}" if ref else ""), commit, shown
    return (f"@ {public_url(url)}", None, public_url(url)) if url else None


def _add(records: Records, ctx: ParseContext, entry: Entry, value: object, group: str) -> None:
    """One dependency value (string or table) as Packages, or a Skipped entry."""
    name, line, place = entry
    table = value if isinstance(value, dict) else {"version": value}
    groups = ("optional",) if table.get("optional") is True and not group else ()
    groups = (group,) if group else groups
    path = str_field(table, "path")
    if path is not None:
        local_path(records, ctx, line, place, path)
        return
    source = _source(table)
    common = {"direct": True, "groups": groups}
    if source is not None:
        spec, commit, url = source
        records.packages.append(
            make_package(
                ctx, "PyPI", name, line, spec=spec, commit=commit, source_url=url, **common
            )
        )
        return
    version = table.get("version", "*")
    specs = poetry_specs(version) if isinstance(version, str) else "constraint is not a string"
    if isinstance(specs, str):
        records.skipped.append(skipped(ctx, line, place, specs))
        return
    for spec in specs:
        records.packages.append(make_package(ctx, "PyPI", name, line, spec=spec, **common))


def read_poetry(records: Records, ctx: ParseContext, lines: Lines, doc: dict[str, Any]) -> None:
    """Every Poetry dependency table of ``doc`` into ``records``."""
    tool = doc.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if not isinstance(poetry, dict):
        return
    for section, group, table in _tables(poetry):
        start = lines.anchor(rf"^\[{re.escape(section)}\]")
        for name, value in table.items() if isinstance(table, dict) else []:
            line = lines.key(name, start)
            place = f"{section}.{name}"
            if name.lower() == "python":
                reason = "the Python version constraint, not a package"
                records.skipped.append(skipped(ctx, line, place, reason, informational=True))
                continue
            for item in value if isinstance(value, list) else [value]:
                _add(records, ctx, (name, line, place), item, group)
