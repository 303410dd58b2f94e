"""The library surface: what the CLI and tests call. No printing, no exit codes here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import requests

from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.model import Advisory
from scoper.feeds.registry import AdvisoryRegistry, sources_for
from scoper.ingest import FileResult, Ingester, is_documentation, iter_inputs
from scoper.scope.chain import scope as run_chain
from scoper.scope.check import CheckResult, check_store
from scoper.scope.result import ScopeResult
from scoper.sources.base import Source
from scoper.sources.registry import get_source
from scoper.store.db import MEMORY, connect, default_path


@dataclass(slots=True)
class IngestSummary:
    """Every file's outcome, in input order."""

    results: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status in ("error", "unknown")]


def ingest(
    paths: Sequence[Path],
    *,
    db: str | None = None,
    fmt: str | None = None,
    host: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    workers: int | None = None,
) -> IngestSummary:
    """Load files and folders into the store; each file is atomic, failures are reported."""
    source: Source | None = get_source(fmt) if fmt else None
    own = con is None
    con = con or connect(db)
    try:
        ingester = Ingester(con, host=host)
        inputs: list[Path] = []
        ignored: list[Path] = []
        for path, named in iter_inputs(list(paths)):
            (ignored if not named and is_documentation(path) else inputs).append(path)
        results = ingester.ingest_all(inputs, source, on_file, workers)
        results += [FileResult(str(p), None, "ignored") for p in ignored]
        return IngestSummary(results)
    finally:
        if own:
            con.close()


def advisories(extra: Sequence[Path] = ()) -> tuple[Advisory, ...]:
    """Bundled advisories plus those in ``extra`` OSV files, folders or zips."""
    return AdvisoryRegistry(sources_for(extra)).all()


def find_advisory(name: str, extra: Sequence[Path] = ()) -> Advisory:
    """The advisory with id or alias ``name`` (exit 4 when there is none)."""
    return AdvisoryRegistry(sources_for(extra)).require(name)


def scope(name: str, *, db: str | None = None, extra: Sequence[Path] = ()) -> ScopeResult:
    """Scope one advisory over the store at ``db``."""
    adv = find_advisory(name, extra)
    target = db or default_path()
    if target != MEMORY and not Path(target).exists():
        raise AdvisoryUnavailableError(f"{target}: no scoper store here: run `scoper ingest` first")
    con = connect(target)
    try:
        if not _has_data(con):
            raise AdvisoryUnavailableError(
                f"{db or 'the store'} holds no ingested data: run `scoper ingest` first"
            )
        return run_chain(con, adv)
    finally:
        con.close()


def _has_data(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM ingests").fetchone()
    return bool(row and row[0])


def check(
    paths: Sequence[Path],
    *,
    advisory: str = "all",
    extra: Sequence[Path] = (),
    fmt: str | None = None,
) -> tuple[IngestSummary, CheckResult]:
    """The CI gate: read lockfiles/SBOMs into memory and match them against advisories."""
    chosen = advisories(extra) if advisory == "all" else (find_advisory(advisory, extra),)
    if not chosen:
        raise AdvisoryUnavailableError("no advisory data available: nothing to check against")
    con = connect(MEMORY)
    try:
        summary = ingest(paths, fmt=fmt, con=con)
        return summary, check_store(con, chosen)
    finally:
        con.close()


def fetch_history(
    project: str,
    *,
    db: str | None = None,
    offline: bool = False,
    session: requests.Session | None = None,
) -> int:
    """Fetch a PyPI project's release history (cached) into the store; returns the count.

    Scope uses it to infer which version an unpinned install picked when the advisory
    does not bundle the history. ``offline`` serves only the on-disk cache.
    """
    from scoper.feeds.pypi import release_history
    from scoper.names import canonical
    from scoper.store.advisories import save_releases

    releases = release_history(project, session or requests.Session(), offline=offline)
    con = connect(db)
    try:
        save_releases(con, "PyPI", canonical("PyPI", project), releases, "pypi")
    finally:
        con.close()
    return len(releases)
