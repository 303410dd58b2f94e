"""Where advisories come from: :class:`AdvisorySource` and the ordered registry over them.

Sources are consulted in order (the bundled catalog first, then each
``--advisories`` path, then the records ``scoper advisories import`` put in the store);
an id or alias resolves to the first exact-id match, else the first alias match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from scoper.errors import AdvisoryUnavailableError
from scoper.feeds import bundled, osv
from scoper.feeds.fields import advisory_error
from scoper.feeds.model import Advisory

if TYPE_CHECKING:
    import duckdb


STORED_PREFIX = "store:"  # origin of an advisory read back from the store


class AdvisorySource(Protocol):
    """One place advisories are read from."""

    @property
    def name(self) -> str:
        """A short label: ``bundled``, ``osv:PATH``."""
        ...

    def load(self) -> tuple[Advisory, ...]:
        """Every advisory this source holds; an error rather than nothing when it holds none."""
        ...


@dataclass(frozen=True, slots=True)
class BundledCatalog:
    """The advisories shipped inside the package."""

    name: str = "bundled"

    def load(self) -> tuple[Advisory, ...]:
        return bundled.load_all()


@dataclass(frozen=True, slots=True)
class OsvPath:
    """OSV records in a JSON file, a folder tree or a zip archive."""

    path: Path

    @property
    def name(self) -> str:
        return f"osv:{self.path}"

    def load(self) -> tuple[Advisory, ...]:
        loaded = osv.scan(self.path)
        if not loaded.advisories:
            passed = f" ({len(loaded.skipped)} passed over)" if loaded.skipped else ""
            raise advisory_error(str(self.path), "", f"no OSV advisories found{passed}")
        return loaded.advisories


@dataclass(frozen=True, slots=True)
class StoredImports:
    """The advisories ``scoper advisories import`` stored, parsed again at load (so the
    loader of this version reads them). None imported is no error: the store may be new."""

    con: duckdb.DuckDBPyConnection
    name: str = "store"

    def load(self) -> tuple[Advisory, ...]:
        from scoper.store.advisory_records import stored_records

        return tuple(self._parse(origin, data) for origin, data in stored_records(self.con))

    def find(self, name: str) -> Advisory | None:
        """The imported advisory with id (else alias) ``name``, parsing only that record."""
        from scoper.store.advisory_records import find_record

        found = find_record(self.con, name)
        return self._parse(*found) if found is not None else None

    def count(self) -> int:
        """How many advisories were imported."""
        from scoper.store.advisory_records import source_counts

        return sum(c.records for c in source_counts(self.con))

    @staticmethod
    def _parse(origin: str, data: object) -> Advisory:
        return osv.parse_record(data, origin, STORED_PREFIX + origin)


def sources_for(
    extra: Sequence[Path] = (), con: duckdb.DuckDBPyConnection | None = None
) -> tuple[AdvisorySource, ...]:
    """The standard source list: the bundled catalog, each extra OSV path, then the
    store's imported advisories (when a store connection is given)."""
    stored: tuple[AdvisorySource, ...] = (StoredImports(con),) if con is not None else ()
    return (BundledCatalog(), *(OsvPath(Path(p)) for p in extra), *stored)


class AdvisoryRegistry:
    """The advisories of an ordered list of sources, loaded once on first use."""

    def __init__(self, sources: Sequence[AdvisorySource] | None = None) -> None:
        self.sources: tuple[AdvisorySource, ...] = tuple(
            sources if sources is not None else sources_for()
        )
        self._given: tuple[Advisory, ...] | None = None
        self._loaded: tuple[Advisory, ...] | None = None

    def given(self) -> tuple[Advisory, ...]:
        """The bundled and ``--advisories`` advisories (not the store's), in source order."""
        if self._given is None:
            self._given = tuple(adv for source in self._plain() for adv in source.load())
        return self._given

    def all(self) -> tuple[Advisory, ...]:
        """Every advisory of every source, in source order. An imported record that names a
        bundled or ``--advisories`` one (by id or alias) is the same incident: the curated
        record stands for it, so ``--advisory all`` and ``check`` judge it once."""
        if self._loaded is None:
            named = {n.casefold() for adv in self.given() for n in (adv.id, *adv.aliases)}
            stored = tuple(
                adv
                for source in self._stored()
                for adv in source.load()
                if named.isdisjoint(n.casefold() for n in (adv.id, *adv.aliases))
            )
            self._loaded = self.given() + stored
        return self._loaded

    def ids(self) -> tuple[str, ...]:
        """Every advisory id, sorted."""
        return tuple(sorted(a.id for a in self.all()))

    def find(self, name: str) -> Advisory | None:
        """The advisory with id or alias ``name`` (case-insensitive); None when absent.
        The bundled and ``--advisories`` records win over imported ones (an imported
        ``MAL-2026-2144`` does not shadow the curated record that names it as an alias);
        an imported one is looked up in the store, not by parsing every record."""
        found = bundled.find(name, self.given())
        for source in self._stored():
            found = found or source.find(name)
        return found

    def _plain(self) -> tuple[AdvisorySource, ...]:
        return tuple(s for s in self.sources if not isinstance(s, StoredImports))

    def _stored(self) -> tuple[StoredImports, ...]:
        return tuple(s for s in self.sources if isinstance(s, StoredImports))

    def require(self, name: str) -> Advisory:
        """Like :meth:`find`; a miss is an :class:`AdvisoryUnavailableError` (exit 4)."""
        found = self.find(name)
        if found is None:
            known = ", ".join(sorted(a.id for a in self.given())) or "none"
            imported = sum(source.count() for source in self._stored())
            known += f", and {imported} imported" if imported else ""
            raise AdvisoryUnavailableError(
                f"no advisory data for {name!r} (known: {known}); "
                "pass --advisories FILE to add OSV data"
            )
        return found
