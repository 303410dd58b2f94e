"""One line of installer output -> the installs (and uninstalls) it reports.

The grammar of what pip, uv, poetry, pdm and pipx print while they work, one line at
a time, so a log that lost the command line (a CI step's output, a truncated
transcript) still says what was installed:

- pip: ``Collecting x==1.0`` (a pin; ``Collecting x>=1`` keeps the spec only),
  ``Downloading x-1.0-py3-none-any.whl (…)`` / ``Using cached x-1.0.tar.gz (…)`` (never
  ``….whl.metadata``: the resolver reads metadata of versions it may not install),
  ``Successfully installed a-1.0 b-2.0``, ``Requirement already satisfied: x in … (1.0)``,
  ``Successfully uninstalled x-1.0``;
- uv: `` + x==1.0``, `` ~ x==1.0`` (reinstalled), `` - x==1.0`` (uninstalled); the
  summaries ``Installed N packages in …`` name no package and give nothing;
- poetry: ``  - Installing x (1.0)``, ``  - Updating x (0.9 -> 1.0)``,
  ``  - Downgrading x (1.1 -> 1.0)``, ``  - Removing x (1.0)`` (``•`` when decorated);
- pdm: ``✔ Install x 1.0 successful``, ``✔ Update x 0.9 -> 1.0 successful``,
  ``✔ Remove x 1.0 successful``;
- pipx: ``installed package x 1.0, installed using Python …``.

Names are canonical (PEP 503); versions must parse as PEP 440 versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from scoper.names import canonical

Action = Literal["install", "uninstall"]
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_NAME = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
_VER = r"v?([0-9][^\s()]*)"
_PIP_DONE = re.compile(r"\bSuccessfully (installed|uninstalled) (.+)$")
_COLLECTING = re.compile(r"^\s*Collecting (\S.*?)(?: \(from .*\))?\s*$")
_FILE = re.compile(r"^\s*(?:Downloading|Using cached) (\S+?\.(?:whl|tar\.gz|zip))(?: \(.*\))?\s*$")
_SATISFIED = re.compile(
    rf"^\s*Requirement already (?:satisfied|up-to-date): {_NAME}(?:\[[^\]]*\])?\S* in "
    r".*\(([^()\s]+)\)\s*$"
)
_UV = re.compile(rf"^ ([-+~]) {_NAME}(?:\[[^\]]*\])?==([^\s@]+)(?: \(from \S+\)| @ \S+)?\s*$")
_POETRY = re.compile(
    rf"^\s*[-•] (Installing|Updating|Downgrading|Removing) {_NAME} "
    rf"\((?:[^()]*? -> )?{_VER}(?: [^()]*)?\)"
)
_PDM = re.compile(rf"^\s*(?:✔ )?(Install|Update|Remove) {_NAME} (?:\S+ -> )?{_VER} successful\s*$")
_PIPX = re.compile(rf"\binstalled package {_NAME} {_VER},")
_POETRY_ACTIONS = {"Removing": "uninstall"}
_PDM_ACTIONS = {"Remove": "uninstall"}


@dataclass(frozen=True, slots=True)
class InstallLine:
    """One package an output line reports installed (or uninstalled)."""

    ecosystem: str
    name: str  # canonical
    version: str | None
    action: Action
    installer: str  # pip | uv | poetry | pdm | pipx
    spec: str | None = None  # pip ``Collecting x>=1.80``: the requirement's specifier


def _version(text: str) -> str | None:
    try:
        Version(text)
    except (InvalidVersion, ValueError):  # a release number too long to convert
        return None
    return text


def _line(name: str, version: str | None, action: Action, installer: str) -> InstallLine:
    return InstallLine("PyPI", canonical("PyPI", name), version, action, installer)


def _pip_done(action: str, tokens: str) -> list[InstallLine]:
    found = []
    for token in tokens.split():
        name, _, raw = token.rpartition("-")
        version = _version(raw)
        if name and version:
            found.append(
                _line(name, version, "install" if action == "installed" else "uninstall", "pip")
            )
    return found


def _collecting(text: str) -> list[InstallLine]:
    if "://" in text or text.startswith((".", "/", "git+")):
        return []  # a URL or a path: the name and version come later
    try:
        req = Requirement(text)
    except InvalidRequirement:
        return []
    specs = list(req.specifier)
    version = None
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        version = _version(specs[0].version)
    spec = str(req.specifier) or None
    found = _line(req.name, version, "install", "pip")
    return [InstallLine(found.ecosystem, found.name, version, "install", "pip", spec)]


def _file(url: str) -> list[InstallLine]:
    filename = url.rsplit("/", 1)[-1]
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        else:
            name, version = parse_sdist_filename(filename)
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion, ValueError):
        return []
    return [_line(name, str(version), "install", "pip")]


def installs_in_line(line: str) -> list[InstallLine]:
    """The packages one line of installer output reports; ``[]`` for any other line."""
    text = _ANSI.sub("", line).rstrip("\r\n")
    if (done := _PIP_DONE.search(text)) is not None:
        return _pip_done(done.group(1), done.group(2))
    if (collecting := _COLLECTING.match(text)) is not None:
        return _collecting(collecting.group(1))
    if (download := _FILE.match(text)) is not None:
        return _file(download.group(1))
    if (satisfied := _SATISFIED.match(text)) is not None:
        version = _version(satisfied.group(2))
        return [_line(satisfied.group(1), version, "install", "pip")] if version else []
    if (uv := _UV.match(text)) is not None:
        version = _version(uv.group(3))
        action: Action = "uninstall" if uv.group(1) == "-" else "install"
        return [_line(uv.group(2), version, action, "uv")] if version else []
    for pattern, installer, actions in (
        (_POETRY, "poetry", _POETRY_ACTIONS),
        (_PDM, "pdm", _PDM_ACTIONS),
    ):
        if (match := pattern.match(text)) is not None:
            version = _version(match.group(3))
            act: Action = "uninstall" if match.group(1) in actions else "install"
            return [_line(match.group(2), version, act, installer)] if version else []
    if (pipx := _PIPX.search(text)) is not None:
        version = _version(pipx.group(2))
        return [_line(pipx.group(1), version, "install", "pipx")] if version else []
    return []
