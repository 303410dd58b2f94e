"""``pip freeze`` output: the installed distributions of one environment, one per line.

pip writes ``name==version``, ``name @ url`` (direct URL and VCS installs, no
version), ``-e <vcs url>#egg=name`` and, for an editable install without VCS,
``# Editable install with no version control (name==version)`` followed by
``-e <path>``. Only files whose name says "freeze" are claimed; other
requirements files belong to the requirements reader.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Origin, Package, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.environments.pip_records import environment_artifact
from scoper.sources.packages import commit_fragment, make_package, public_url
from scoper.sources.reading import logical_name
from scoper.sources.streams import read_lines

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
PIN_RE = re.compile(rf"^(?P<name>{_NAME})\s*===?\s*(?P<version>[^\s;#=<>!~,]+)$")
URL_RE = re.compile(rf"^(?P<name>{_NAME})\s*@\s*(?P<url>\S+)$")
EDITABLE_RE = re.compile(r"^(?:-e|--editable)\s+(?P<url>\S+)$")
EDITABLE_NOTE_RE = re.compile(rf"^#\s*Editable .*?\((?P<name>{_NAME})==(?P<version>[^\s)]+)\)\s*$")
EGG_RE = re.compile(rf"[#&]egg=(?P<name>{_NAME})")
VCS_COMMIT_RE = re.compile(r"@([0-9a-fA-F]{7,64})(?:[#?]|$)")
FREEZE_NAMES = ("freeze.txt", "pip-freeze.txt")


def _is_freeze_line(line: str) -> bool:
    return bool(PIN_RE.match(line) or URL_RE.match(line) or EDITABLE_RE.match(line))


class PipFreeze(FileSource):
    """The output of ``pip freeze`` (or ``uv pip freeze``) saved to a file."""

    name = "pip-freeze"
    kind: SourceKind = "environment"
    obtained = (
        '`pip freeze > freeze.txt`, run in the environment (the file name must contain "freeze")'
    )
    summary = "pip freeze output saved to a file named like *freeze*"
    reads = (
        "name==version pins, name @ url (URL, VCS commit), -e lines (egg name, commit; "
        "version from pip's 'Editable install' comment)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        name = logical_name(path).lower()
        if "freeze" not in name:
            return False
        if name in FREEZE_NAMES or name.endswith(".freeze"):
            return True
        if name.startswith("pip_freeze") and name.endswith(".txt"):
            return True
        lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
        if len(head) >= 4096 and lines:
            lines.pop()  # maybe cut short
        entries = [s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")]
        return bool(entries) and all(_is_freeze_line(s) for s in entries)

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        lines = read_lines(path, ctx.display)
        text = lines.text
        records = Records(artifacts=[environment_artifact(ctx, logical_name(path))])
        records.skipped += [Skipped(Origin(ctx.display, n), why) for n, why in lines.bad]
        note: re.Match[str] | None = None
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                note = EDITABLE_NOTE_RE.match(line) or (note if not line else None)
                continue
            built = _package(ctx, line, number, note)
            note = None
            if isinstance(built, str):
                records.skipped.append(Skipped(Origin(ctx.display, number), built))
            else:
                records.packages.append(built)
        if records.skipped and not records.packages:  # also when every line was unreadable
            raise InputError(ctx.display, "not pip freeze output: no line is a pin", "line 1")
        return records


def _package(
    ctx: ParseContext, line: str, number: int, note: re.Match[str] | None
) -> Package | str:
    """The package one freeze line names, or why it names none."""
    if found := PIN_RE.match(line):
        return make_package(ctx, "PyPI", found["name"], number, version=found["version"])
    if found := URL_RE.match(line):
        return _linked(ctx, found["name"], found["url"], number, None)
    if found := EDITABLE_RE.match(line):
        url = found["url"]
        egg = EGG_RE.search(url)
        if note is not None:
            return _linked(ctx, note["name"], url, number, note["version"])
        if egg is not None:
            return _linked(ctx, egg["name"], url, number, None)
        return f"editable install without a name: {public_url(url)}"
    return "not a pip freeze line"


def _linked(ctx: ParseContext, name: str, url: str, number: int, version: str | None) -> Package:
    """A package installed from a URL, path or VCS: source URL and commit, version if known."""
    base, fragment_commit = commit_fragment(url)
    found = VCS_COMMIT_RE.search(base)
    commit = fragment_commit or (found.group(1) if found and "+" in base.split(":")[0] else None)
    return make_package(
        ctx,
        "PyPI",
        name,
        number,
        version=version,
        commit=commit,
        source_url=public_url(base),
    )


SOURCE = PipFreeze()
