"""The library surface: a :class:`Store` (like sqlite-utils' ``Database``) and thin helpers.

No printing and no exit codes here. ``Store.open(settings)`` opens (and
migrates) a DuckDB store; the module functions open one per call for the CLI
and older callers that pass ``db=``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import duckdb

from scoper.api_advisories import advisories as advisories
from scoper.api_advisories import check_gate as check_gate
from scoper.api_advisories import chosen as _settings
from scoper.api_advisories import fetch_history as fetch_history
from scoper.api_advisories import find_advisory as find_advisory
from scoper.api_advisories import sync_history as sync_history
from scoper.api_check import apply_policy
from scoper.api_check import check_exit_code as check_exit_code
from scoper.api_export import ingest_canonical, split_canonical
from scoper.errors import AdvisoryUnavailableError, UsageError
from scoper.feeds.model import Advisory
from scoper.feeds.registry import AdvisoryRegistry, sources_for
from scoper.gaps import input_gaps
from scoper.ingest import FileResult, Ingester, is_documentation, iter_inputs
from scoper.report.base import Renderer
from scoper.scope.asof import Moment, known_at, require_known
from scoper.scope.chain import scope as run_chain
from scoper.scope.check import CheckResult, check_store
from scoper.scope.check_policy import GatePolicy
from scoper.scope.coverage import held
from scoper.scope.result import ScopeResult
from scoper.scope.sweep import SweepResult
from scoper.scope.sweep import sweep as run_sweep
from scoper.settings import MEMORY, Settings
from scoper.sources.base import Source
from scoper.sources.registry import all_sources, get_source
from scoper.store.db import connect
from scoper.store.sql import query

if TYPE_CHECKING:
    import requests

    from scoper.feeds.history import Synced
    from scoper.feeds.httpcache import JsonFetcher


@dataclass(slots=True)
class IngestSummary:
    """Every file's outcome, in input order."""

    results: list[FileResult] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # check: inputs that were not there

    @property
    def failed(self) -> list[FileResult]:
        """Files that could not be read, or gave no records (ingest exits 3)."""
        return [r for r in self.results if r.status in ("error", "unknown", "empty")]

    @property
    def input_errors(self) -> list[str]:
        """Why ``check`` cannot pass on these inputs: unreadable files, then the gaps."""
        unread = [r.error for r in self.results if r.status in ("error", "unknown") and r.error]
        return unread + self.gaps


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The columns and rows of one SQL query."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


class Store:
    """An open scoper store: ingest into it, scope and check over it, query it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
        self.con = con
        self.settings = settings
        self.advisories = AdvisoryRegistry(sources_for(settings.advisories, con))

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        read_only: bool = False,
        on_busy: Callable[[str], None] | None = None,
    ) -> Store:
        """Open ``settings.db`` (default: Settings from the environment); read-only
        refuses a missing store instead of creating it. A store another process holds
        is waited for ``settings.wait`` seconds (``on_busy`` told), then StoreBusyError."""
        chosen = settings or Settings.from_env()
        con = connect(
            chosen.db, read_only=read_only, now=chosen.now, wait=chosen.wait, on_busy=on_busy
        )
        return cls(con, chosen)

    @classmethod
    def memory(cls, settings: Settings | None = None) -> Store:
        """A throwaway in-memory store."""
        return cls.open(replace(settings or Settings.from_env(), db=MEMORY))

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        fmt: str | None = None,
        host: str | None = None,
        on_file: Callable[[FileResult], None] | None = None,
        on_start: Callable[[int], None] | None = None,
    ) -> IngestSummary:
        """Load files and folders; each file is atomic, failures are reported, not raised.

        ``on_start`` is told how many files there are before the first is read."""
        canonical, paths = split_canonical(paths, fmt)
        done = [ingest_canonical(self.con, p) for p in canonical]
        if canonical and not paths:
            return IngestSummary(done)
        source: Source | None = get_source(fmt) if fmt else None
        key = self.settings.fingerprint_key
        limits = self.settings.limits
        ingester = Ingester(self.con, host=host, now=self.settings.now, key=key, limits=limits)
        inputs: list[Path] = []
        ignored: list[Path] = []
        notes: list[tuple[Path, str]] = []
        for path, named in iter_inputs(list(paths), notes):
            (ignored if not named and is_documentation(path) else inputs).append(path)
        if on_start is not None:
            on_start(len(inputs))
        results = done + ingester.ingest_all(inputs, source, on_file, self.settings.workers)
        results += [FileResult(str(p), None, "ignored") for p in ignored]
        results += [FileResult(str(p), None, "note", notes=[f"{p}: {n}"]) for p, n in notes]
        return IngestSummary(results)

    def has_data(self) -> bool:
        """Whether anything was ingested."""
        row = self.con.execute(query("store_ingest_count")).fetchone()
        return bool(row and row[0])

    def scope(
        self,
        advisory: str | Advisory,
        identities: Path | None = None,
        as_of: Moment = None,
        on_phase: Callable[[str], None] | None = None,
    ) -> ScopeResult:
        """Scope one advisory (id, alias or object) over the store (none: exit 4).
        ``identities``: a --identities mapping (docs/identities.md); ``as_of``: only the
        advisory and evidence known then (not yet published then: exit 4); ``on_phase``: told
        each phase's name as it starts (for progress)."""
        adv = self.advisories.require(advisory) if isinstance(advisory, str) else advisory
        known = require_known(adv, as_of)
        with known_at(self.con, as_of):
            counts = held(self.con, self.settings.db, as_of)
            result = run_chain(self.con, known.advisory, counts, identities, on_phase)
        return replace(result, as_of=as_of, warnings=known.warnings + result.warnings)

    def sweep(
        self, advisories: Sequence[Advisory], identities: Path | None = None, as_of: Moment = None
    ) -> SweepResult:
        """Scope every one of ``advisories`` over the store, preparing it once."""
        with known_at(self.con, as_of):
            counts = held(self.con, self.settings.db, as_of)
            return run_sweep(self.con, advisories, counts, identities, as_of)

    def select(self, advisory: str = "all") -> tuple[Advisory, ...]:
        """``all`` advisories or the one with this id or alias; exit 4 when there are none."""
        if advisory != "all":
            return (self.advisories.require(advisory),)
        chosen = self.advisories.all()
        if not chosen:
            raise AdvisoryUnavailableError("no advisory data available: nothing to check against")
        return chosen

    def check(self, advisory: str | Sequence[Advisory] = "all") -> CheckResult:
        """Match every package in the store against advisories (an id, ``all``, or objects)."""
        chosen = self.select(advisory) if isinstance(advisory, str) else tuple(advisory)
        return check_store(self.con, chosen)

    def sql(self, query: str) -> QueryResult:
        """Run one SQL query; a bad query is a :class:`UsageError`."""
        try:
            cursor = self.con.execute(query)
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise UsageError(str(exc)) from None
        return QueryResult(tuple(d[0] for d in cursor.description or []), rows)

    def fetch_history(
        self, project: str, session: requests.Session | None = None, ecosystem: str = "PyPI"
    ) -> int:
        """Store a package's release history (cached; ``settings.offline``: cache only)."""
        from scoper.feeds.history import store_history

        return store_history(self.con, ecosystem, project, self._fetcher(session)).releases

    def sync_history(
        self, advisory: str = "all", session: requests.Session | None = None
    ) -> list[Synced]:
        """Refresh the history of every package the chosen advisories name."""
        from scoper.feeds.history import sync

        return sync(self.con, self.select(advisory), self._fetcher(session))

    def _fetcher(self, session: requests.Session | None) -> JsonFetcher:
        from scoper.feeds.httpcache import JsonFetcher

        s = self.settings
        return JsonFetcher(session or _session(), s.cache_dir, offline=s.offline, clock=s.clock)

    @staticmethod
    def formats() -> tuple[Source, ...]:
        """The input formats, in detection order."""
        return formats()

    @staticmethod
    def report_formats() -> tuple[Renderer, ...]:
        """The report formats, in registry order."""
        return report_formats()


def formats() -> tuple[Source, ...]:
    """The input formats scoper reads, in detection order."""
    return tuple(all_sources())


def report_formats() -> tuple[Renderer, ...]:
    """The report formats (``--format``), in registry order."""
    from scoper.report.registry import renderers

    return renderers()


def ingest(
    paths: Sequence[Path],
    *,
    db: str | None = None,
    fmt: str | None = None,
    host: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    workers: int | None = None,
    settings: Settings | None = None,
    on_busy: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Load files into the store at ``settings.db`` (or ``db``), or into open ``con``."""
    chosen = _settings(settings, db=db, workers=workers)
    if con is not None:
        store = Store(con, chosen)
        return store.ingest(paths, fmt=fmt, host=host, on_file=on_file, on_start=on_start)
    with Store.open(chosen, on_busy=on_busy) as store:
        return store.ingest(paths, fmt=fmt, host=host, on_file=on_file, on_start=on_start)


def scope(
    name: str,
    *,
    db: str | None = None,
    extra: Sequence[Path] = (),
    settings: Settings | None = None,
    identities: Path | None = None,
    as_of: Moment = None,
    on_phase: Callable[[str], None] | None = None,
) -> ScopeResult:
    """Scope one advisory over an existing store (never creates one)."""
    chosen = _settings(settings, db=db, advisories=extra)
    if chosen.db != MEMORY and not Path(chosen.db).exists():
        find_advisory(name, settings=chosen)  # an unknown advisory says so first
    with _existing(chosen) as store:  # bundled, --advisories, then imported ones
        return store.scope(name, identities, as_of, on_phase)


def sweep(
    settings: Settings | None = None, identities: Path | None = None, as_of: Moment = None
) -> SweepResult:
    """``--advisory all``: every bundled and --advisories advisory over an existing store."""
    with _existing(_settings(settings)) as store:
        return store.sweep(store.select("all"), identities, as_of)


def _existing(chosen: Settings) -> Store:
    """The store at ``chosen.db``; exit 4 when there is none (scope never creates one)."""
    if chosen.db != MEMORY and not Path(chosen.db).exists():
        raise AdvisoryUnavailableError(
            f"{chosen.db}: no scoper store here: run `scoper ingest` first"
        )
    return Store.open(chosen)


def check(
    paths: Sequence[Path],
    *,
    advisory: str = "all",
    extra: Sequence[Path] = (),
    fmt: str | None = None,
    settings: Settings | None = None,
    allow_empty: bool = False,
    policy: GatePolicy | None = None,
    on_store: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> tuple[IngestSummary, CheckResult]:
    """The CI gate: read lockfiles/SBOMs into memory and match them against advisories.

    ``summary.input_errors`` says why the inputs cannot pass (exit 3): unreadable files,
    includes not read, and, unless ``allow_empty``, folders with nothing read and files
    with no package records. ``policy``: the gaps allowed and the cool-down (``--min-age``).
    """
    chosen = _settings(settings, advisories=extra)
    with Store.memory(chosen) as store:
        against = store.select(advisory)  # no advisory data fails before any reading
        summary = store.ingest(paths, fmt=fmt)
        summary.gaps = input_gaps(store.con, paths, summary.results, allow_empty)
        if on_store is not None:  # check --vulns: reads the rows before the store closes
            on_store(store.con)
        found = store.check(against)
        return summary, apply_policy(store, found, summary.results, against, policy or GatePolicy())


def sql(query: str, *, db: str | None = None, settings: Settings | None = None) -> QueryResult:
    """Run a query over the store through a read-only connection."""
    with Store.open(_settings(settings, db=db), read_only=True) as store:
        return store.sql(query)


def _session() -> requests.Session:
    import requests

    return requests.Session()
