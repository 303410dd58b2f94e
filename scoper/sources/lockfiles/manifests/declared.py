"""Shared by the manifest readers: declared requirements as spec-only Packages, and lines.

A PEP 508 string becomes a Package whose ``spec`` is its specifier as written (an exact
``==X`` stays a spec); a direct reference (``name @ URL``, git) keeps ``@ <url>`` as its
spec, which admits no registry version. Lines are found in the text, searched from the
section that holds the entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from scoper.model import Package, Records
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.requirements_links import redact
from scoper.sources.lockfiles.requirements_specs import interpret
from scoper.sources.packages import make_package, skipped


@dataclass(frozen=True, slots=True)
class Lines:
    """Line numbers of keys and strings in a manifest's text."""

    text: str

    def line(self, offset: int) -> int:
        """1-based line of a character offset."""
        return self.text.count("\n", 0, offset) + 1

    def anchor(self, pattern: str, start: int = 0) -> int:
        """Offset of the first match of ``pattern`` (multi-line regex) at or after ``start``,
        else ``start``."""
        found = re.compile(pattern, re.MULTILINE).search(self.text, start)
        return found.start() if found else start

    def quoted(self, value: str, start: int = 0) -> int | None:
        """Line of ``value`` written as a quoted string, searched from ``start`` then from 0."""
        for quoted in (json.dumps(value), f"'{value}'", value):
            for begin in (start, 0):
                index = self.text.find(quoted, begin)
                if index >= 0:
                    return self.line(index)
        return None

    def raw(self, value: str, start: int = 0) -> int | None:
        """Line of ``value`` as written (unquoted), searched from ``start`` then from 0."""
        for begin in (start, 0):
            index = self.text.find(value, begin)
            if index >= 0:
                return self.line(index)
        return None

    def key(self, name: str, start: int = 0) -> int | None:
        """Line of ``name =`` or ``"name":`` (bare or quoted key) at or after ``start``."""
        key = rf"""^[ \t]*(?:{re.escape(name)}|["']{re.escape(name)}["'])[ \t]*[=:]"""
        for begin in (start, 0):
            found = re.compile(key, re.MULTILINE | re.IGNORECASE).search(self.text, begin)
            if found:
                return self.line(found.start())
        return None


def declared(
    ctx: ParseContext, text: str, line: int | None, groups: tuple[str, ...]
) -> Package | str:
    """The spec-only Package a PEP 508 requirement declares, or why it is unusable."""
    found = interpret(text)
    if isinstance(found, str):
        return found
    if found.url:
        spec = f"@ {found.url}"
    else:
        spec = f"=={found.version}" if found.version else found.spec or ""
    return make_package(
        ctx,
        "PyPI",
        found.display_name,
        line,
        spec=spec,
        direct=True,
        groups=groups,
        commit=found.commit,
        source_url=found.url,
    )


def add_requirement(
    records: Records, ctx: ParseContext, text: object, line: int | None, place: str, group: str
) -> None:
    """Add the Package of one PEP 508 string, or a Skipped entry saying why not."""
    groups = (group,) if group else ()
    if not isinstance(text, str) or not text.strip():
        records.skipped.append(skipped(ctx, line, place, "not a requirement string"))
        return
    found = declared(ctx, text.strip(), line, groups)
    if isinstance(found, str):
        records.skipped.append(skipped(ctx, line, place, redact(found)))
    else:
        records.packages.append(found)


def local_path(
    records: Records, ctx: ParseContext, line: int | None, place: str, path: str
) -> None:
    """A path/editable dependency: the project's own code, nothing to match (informational)."""
    reason = f"local path dependency {redact(path)!r} (the project's own code, no registry range)"
    records.skipped.append(skipped(ctx, line, place, reason, informational=True))
