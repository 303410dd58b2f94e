"""Release history into the store: one code path for ``advisories history`` and ``sync``.

PyPI through the simple API (project JSON as fallback), npm through the registry
document's ``time`` map. Other ecosystems (Go, GitHub Actions, containers) have no
registry history here: ``sync`` lists them as skipped, never as synced.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from scoper.feeds.httpcache import JsonFetcher
from scoper.feeds.model import Advisory, Release
from scoper.names import canonical
from scoper.store.advisories import save_releases

HISTORY_ECOSYSTEMS = ("PyPI", "npm")


@dataclass(frozen=True, slots=True)
class Synced:
    """One package's history refresh: how many releases, when fetched, or why skipped."""

    ecosystem: str
    name: str
    releases: int
    fetched_at: datetime | None
    skipped: str | None = None

    def line(self) -> str:
        """One line for the console."""
        when = self.fetched_at.isoformat().replace("+00:00", "Z") if self.fetched_at else "-"
        return f"{self.ecosystem}/{self.name}: " + (
            self.skipped or f"{self.releases} releases, fetched {when}"
        )


def fetch_history(ecosystem: str, name: str, fetcher: JsonFetcher) -> tuple[Release, ...]:
    """The registry's release history of one package (PyPI or npm)."""
    from scoper.feeds import npm, pypi

    if ecosystem == "npm":
        return npm.fetch_npm_releases(name, fetcher)
    return pypi.fetch_files(name, fetcher).releases()


def store_history(
    con: duckdb.DuckDBPyConnection, ecosystem: str, name: str, fetcher: JsonFetcher
) -> Synced:
    """Fetch and replace one package's stored history (PyPI: per file too)."""
    from scoper.feeds import pypi
    from scoper.feeds.history_files import save_files

    key = canonical(ecosystem, name)
    if ecosystem == "npm":
        releases = fetch_history(ecosystem, name, fetcher)
    else:
        project = pypi.fetch_files(name, fetcher)
        releases = project.releases()
        save_files(con, key, project)
    save_releases(con, ecosystem, key, releases, ecosystem.lower())
    return Synced(ecosystem, key, len(releases), fetcher.clock())


def sync(
    con: duckdb.DuckDBPyConnection, advisories: Iterable[Advisory], fetcher: JsonFetcher
) -> list[Synced]:
    """Refresh the history of every package the advisories name (each package once)."""
    seen: dict[tuple[str, str], Synced] = {}
    for adv in advisories:
        for affected in adv.affected:
            key = (affected.ecosystem, affected.name)
            if key in seen:
                continue
            if affected.ecosystem not in HISTORY_ECOSYSTEMS:
                seen[key] = Synced(*key, 0, None, "no registry history for this ecosystem")
                continue
            seen[key] = store_history(con, affected.ecosystem, affected.name, fetcher)
    return sorted(seen.values(), key=lambda s: (s.ecosystem, s.name))
