"""Installer output -> installed versions."""

from __future__ import annotations

import re

from packaging.utils import canonicalize_name
from packaging.version import Version

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_NAME = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
_PIP_DONE = re.compile(r"Successfully installed (.+)")
_UV_LINE = re.compile(rf"^\s*[+~] {_NAME}(?:\[[^\]]*\])?==(\S+)")
_POETRY = re.compile(
    rf"^\s*[-•] (?:Installing|Updating|Downgrading) {_NAME} \((?:[^()]*? -> )?([^()\s]+)\)"
)
_SATISFIED = re.compile(
    rf"Requirement already (?:satisfied|up-to-date): {_NAME}(?:\[[^\]]*\])?[^ ]* in "
    r".*\(([^()\s]+)\)\s*$"
)
_PDM = re.compile(rf"\bInstall {_NAME} (\S+) successful")
_PIPX = re.compile(rf"\binstalled package {_NAME} (\S+),")


def _version(text: str) -> str | None:
    try:
        Version(text)
    except ValueError:  # InvalidVersion, or a release number too long to convert
        return None
    return text


def _pairs_in_line(line: str) -> list[tuple[str, str]]:
    if (done := _PIP_DONE.search(line)) is not None:
        found = [token.rpartition("-")[::2] for token in done.group(1).split()]
        return [(name, version) for name, version in found if name and version[:1].isdigit()]
    for pattern in (_UV_LINE, _POETRY, _SATISFIED, _PDM, _PIPX):
        if (match := pattern.search(line)) is not None:
            return [(match.group(1), match.group(2))]
    return []


def installed_from_output(text: str) -> list[tuple[str, str]]:
    """``(canonical name, version)`` pairs an installer's output reports as installed.

    pip ``Successfully installed a-1.0`` and ``Requirement already satisfied:
    x in ... (1.0)``, uv `` + name==ver``, poetry ``- Installing name (ver)``,
    pdm ``Install name ver successful``, pipx ``installed package name ver,``.
    """
    pairs: dict[tuple[str, str], None] = {}
    for line in _ANSI.sub("", text).splitlines():
        for name, raw in _pairs_in_line(line):
            version = _version(raw.lstrip("v"))
            if version is not None:
                pairs[(str(canonicalize_name(name)), version)] = None
    return list(pairs)
