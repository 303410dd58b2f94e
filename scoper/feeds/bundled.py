"""The curated catalog shipped inside the package.

The files live in ``advisories/`` at the repository root, one OSV record per incident;
the build maps that directory into the package as ``scoper.advisories`` (pyproject
``package-dir``), so wheels and editable installs read the same files through
:mod:`importlib.resources` and there is no copy to keep in step.

Bundled ids are short slugs (``litellm-2025``); lookups accept the id or any
alias (``PYSEC-2026-2``, ``MAL-2026-2144``, ``GHSA-...``), case-insensitively.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.model import Advisory
from scoper.feeds.osv import decode_json, parse_record

ORIGIN_PREFIX = "bundled:"


def _directory() -> Traversable:
    try:
        return files("scoper.advisories")
    except ModuleNotFoundError:  # run from a source checkout: the folder the build maps
        return files("scoper").joinpath("..", "advisories")


def names() -> tuple[str, ...]:
    """File names of the bundled advisories, sorted."""
    directory = _directory()
    if not directory.is_dir():
        return ()
    return tuple(sorted(e.name for e in directory.iterdir() if e.name.endswith(".json")))


def load_one(file_name: str) -> Advisory:
    """One bundled advisory by file name (``litellm-2025.json``)."""
    raw = (_directory() / file_name).read_bytes()
    stem = file_name.removesuffix(".json")
    return parse_record(decode_json(raw, file_name), file_name, ORIGIN_PREFIX + stem)


@cache
def load_all() -> tuple[Advisory, ...]:
    """Every bundled advisory, in file-name order."""
    return tuple(load_one(name) for name in names())


def find(name: str, advisories: Iterable[Advisory] | None = None) -> Advisory | None:
    """The advisory whose id or an alias equals ``name`` (case-insensitive).

    Searches ``advisories`` when given, else the bundled set. An exact id match
    wins over an alias match.
    """
    wanted = name.strip().casefold()
    pool = tuple(load_all() if advisories is None else advisories)
    for advisory in pool:
        if advisory.id.casefold() == wanted:
            return advisory
    for advisory in pool:
        if any(alias.casefold() == wanted for alias in advisory.aliases):
            return advisory
    return None


def require(name: str, advisories: Iterable[Advisory] | None = None) -> Advisory:
    """Like :func:`find`, but a miss is an :class:`AdvisoryUnavailableError` (exit 4)."""
    pool = tuple(load_all() if advisories is None else advisories)
    found = find(name, pool)
    if found is None:
        known = ", ".join(sorted(a.id for a in pool)) or "none"
        raise AdvisoryUnavailableError(f"no advisory with id or alias {name!r} (known: {known})")
    return found
