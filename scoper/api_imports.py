"""The library's advisory import: ``scoper advisories import`` and the per-source counts
``scoper advisories list`` shows; :mod:`scoper.api_advisories` re-exports them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scoper.errors import StoreError
from scoper.feeds.imports import ImportReport, read_imports
from scoper.feeds.model import Advisory
from scoper.feeds.registry import AdvisoryRegistry, StoredImports, sources_for
from scoper.feeds.validate import Validation
from scoper.settings import MEMORY, Settings
from scoper.store.advisory_records import SourceCount, save_records, source_counts


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import stored, per import path, and what it refused."""

    report: ImportReport
    stored: tuple[SourceCount, ...]  # of this import

    @property
    def failed(self) -> bool:
        """Some record or input was bad (exit 3), whatever was kept."""
        return bool(self.report.problems)


@dataclass(frozen=True, slots=True)
class Listing:
    """Every advisory a run would use, and how many each source gave."""

    advisories: tuple[Advisory, ...]
    counts: tuple[SourceCount, ...]


def import_advisories(paths: Sequence[Path], settings: Settings) -> ImportOutcome:
    """Read ``paths`` (files, trees, zips) and store the safe records in one transaction."""
    from scoper.api import Store  # the library object this module serves

    report = read_imports(paths, settings.limits)
    records = report.records()
    with Store.open(settings) as store:
        try:
            save_records(store.con, records, settings.clock())
        except duckdb.Error as exc:  # e.g. a record DuckDB's JSON type refuses (NaN)
            raise StoreError(f"{settings.db}: nothing imported, the store refused: {exc}") from exc
    counts: dict[str, list[int]] = {}
    for item in records:
        count = counts.setdefault(item.source, [0, 0])
        count[0] += 1
        count[1] += item.advisory.withdrawn is not None
    stored = tuple(SourceCount(src, n, w) for src, (n, w) in sorted(counts.items()))
    return ImportOutcome(report, stored)


def listing(settings: Settings) -> Listing:
    """The bundled, ``--advisories`` and imported advisories, with counts per source."""
    found: list[Advisory] = []
    counts: list[SourceCount] = []
    with _stored(settings) as con:
        for source in sources_for(settings.advisories, con):
            loaded = source.load()
            found.extend(loaded)
            if isinstance(source, StoredImports):
                counts.extend(source_counts(source.con))
            else:
                counts.append(SourceCount(source.name, len(loaded), _withdrawn(loaded)))
    return Listing(tuple(found), tuple(counts))


def find_stored(name: str, settings: Settings) -> Advisory:
    """The advisory with id or alias ``name`` among bundled, extra and imported ones."""
    with _stored(settings) as con:
        return AdvisoryRegistry(sources_for(settings.advisories, con)).require(name)


def validate_advisories(paths: Sequence[Path], settings: Settings | None = None) -> Validation:
    """``scoper advisories validate``: schema and loader problems of the records in ``paths``."""
    from scoper.feeds.validate import validate

    return validate(paths, (settings or Settings.from_env()).limits)


def _withdrawn(advisories: Sequence[Advisory]) -> int:
    return sum(1 for a in advisories if a.withdrawn is not None)


@contextmanager
def _stored(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection to the store when one exists (else None: nothing imported)."""
    from scoper.api import Store

    if settings.db == MEMORY or not Path(settings.db).exists():
        yield None
        return
    with Store.open(settings, read_only=True) as store:
        yield store.con
