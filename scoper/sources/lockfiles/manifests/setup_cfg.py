"""setup.cfg: setuptools' declarative configuration (INI).

``[options] install_requires`` (no group), ``setup_requires`` (``setup``) and
``tests_require`` (``tests``), and ``[options.extras_require]`` (the extra's name). As in
setuptools, a value spread over lines holds one requirement per line (a ``;`` there starts
a marker); a value on one line is split at ``;``. Every entry keeps its specifier and
gets no version.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.lockfiles.manifests.declared import Lines, add_requirement
from scoper.sources.packages import lockfile_artifact
from scoper.sources.reading import logical_name, read_text

OPTIONS = {"install_requires": "", "setup_requires": "setup", "tests_require": "tests"}
OPTIONS_RE = re.compile(rb"^\[options(\.extras_require)?\][ \t]*\r?$", re.MULTILINE)
METADATA_RE = re.compile(rb"^\[metadata\][ \t]*\r?$", re.MULTILINE)
INSTALL_RE = re.compile(rb"^install_requires[ \t]*=", re.MULTILINE)


def _requirements(value: str) -> list[str]:
    """setuptools' list-semi: one per line when the value spans lines (a dangling list, even
    of one line, starts with a newline), else split at ``;``."""
    chunks = value.splitlines() if "\n" in value.rstrip() else value.split(";")
    return [chunk.strip() for chunk in chunks if chunk.strip()]


def _load(text: str, display: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text, source=display)
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        message = str(exc).splitlines()[0]
        place = f"line {line}" if line else None
        raise InputError(display, f"invalid setup.cfg: {message}", place) from exc
    return parser


class SetupCfg(FileSource):
    """setuptools' setup.cfg."""

    name = "setup.cfg"
    kind: SourceKind = "lockfile"
    obtained = "the repository root of a setuptools project"
    summary = "setuptools declarative config (setup.cfg, INI) at the root of a setuptools project"
    reads = (
        "declared ranges as specs, never versions: [options] install_requires, setup_requires "
        "(group 'setup'), tests_require (group 'tests') and [options.extras_require] (extra "
        "as group)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if logical_name(path) == "setup.cfg":
            return True
        options = bool(OPTIONS_RE.search(head))
        return options and bool(METADATA_RE.search(head) or INSTALL_RE.search(head))

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_text(path, ctx.display)
        parser = _load(text, ctx.display)
        records = Records(artifacts=[lockfile_artifact(path, ctx)])
        lines = Lines(text)
        wanted: list[tuple[str, str, str]] = []  # section, key, group
        if parser.has_section("options"):
            options = parser["options"]
            wanted += [("options", key, group) for key, group in OPTIONS.items() if key in options]
        if parser.has_section("options.extras_require"):
            wanted += [
                ("options.extras_require", key, key) for key in parser["options.extras_require"]
            ]
        for section, key, group in wanted:
            start = lines.anchor(
                rf"^{re.escape(key)}\s*=", lines.anchor(rf"^\[{re.escape(section)}\]")
            )
            for index, requirement in enumerate(_requirements(parser[section][key])):
                line = lines.raw(requirement, start)
                add_requirement(records, ctx, requirement, line, f"{section}.{key}[{index}]", group)
        return records


SOURCE = SetupCfg()
