"""The one ordered registry of report formats, shared by ``scope`` and ``check``.

A new format is a module with a :class:`~scoper.report.base.Renderer` and one
line in :data:`RENDERERS`; the command line never names a format.
"""

from __future__ import annotations

from pathlib import Path

from scoper.errors import UsageError
from scoper.report.base import Renderer, Subject
from scoper.report.csv import CsvRenderer
from scoper.report.html import HtmlRenderer
from scoper.report.json import JsonRenderer
from scoper.report.junit import JunitRenderer
from scoper.report.markdown import MarkdownRenderer
from scoper.report.rotation import RotationRenderer
from scoper.report.sarif import SarifRenderer
from scoper.report.table import TableRenderer

RENDERERS: tuple[Renderer, ...] = (
    TableRenderer(),
    JsonRenderer(),
    CsvRenderer(),
    MarkdownRenderer(),
    RotationRenderer(),
    SarifRenderer(),
    HtmlRenderer(),
    JunitRenderer(),
)

# The format used without --format: (on a terminal, when piped)
DEFAULTS: dict[Subject, tuple[str, str]] = {
    Subject.SCOPE: ("table", "json"),
    Subject.CHECK: ("table", "table"),
}


def renderers(subject: Subject | None = None) -> tuple[Renderer, ...]:
    """Every registered renderer (for ``subject`` only, when given), in registry order."""
    return tuple(r for r in RENDERERS if subject is None or subject in r.subjects)


def names(subject: Subject | None = None) -> tuple[str, ...]:
    """The ``--format`` values valid for ``subject``."""
    return tuple(r.name for r in renderers(subject))


def find(name: str, subject: Subject | None = None) -> Renderer | None:
    """The renderer called ``name`` that renders ``subject``; None when there is none."""
    wanted = name.strip().casefold()
    return next((r for r in renderers(subject) if r.name == wanted), None)


def require(name: str, subject: Subject) -> Renderer:
    """Like :func:`find`; a miss is a :class:`UsageError` (exit 2) listing the valid names."""
    found = find(name, subject)
    if found is None:
        valid = ", ".join(names(subject))
        what = "not available for" if find(name) else "unknown for"
        raise UsageError(f"report format {name!r} is {what} {subject}; choose from {valid}")
    return found


def by_suffix(path: Path, subject: Subject) -> Renderer | None:
    """The renderer whose suffix ends ``path`` (longest suffix first); None when none does."""
    matches = [r for r in renderers(subject) if path.name.endswith(r.suffix)]
    return max(matches, key=lambda r: len(r.suffix), default=None)


def choose(
    name: str | None, subject: Subject, *, terminal: bool, output: Path | None = None
) -> Renderer:
    """The renderer for ``--format name``; else the one ``output``'s suffix names; else the
    default for ``subject`` (a file is not a terminal)."""
    if name is None and output is not None:
        found = by_suffix(output, subject)
        if found is not None:
            return found
        terminal = False
    on_terminal, piped = DEFAULTS[subject]
    return require(name or (on_terminal if terminal else piped), subject)
