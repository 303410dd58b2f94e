"""Ingest: parse detected inputs (:mod:`scoper.inputs`), load each file atomically."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

import duckdb

from scoper.errors import InputError, UnknownFormatError
from scoper.evidence import Identity, SharedParses, content_key
from scoper.inputs import detect, file_digest, is_documentation, iter_inputs
from scoper.limits import DEFAULT_LIMITS, Limits, set_limits, using
from scoper.model import Records, Skipped
from scoper.sources.base import BulkSource, ParseContext, Source
from scoper.sources.registry import get_source
from scoper.store.db import fingerprint_key, transaction
from scoper.store.load import load_records
from scoper.store.sql import query, run

__all__ = ["FileResult", "Ingester", "detect", "file_digest", "is_documentation", "iter_inputs"]


@dataclass(slots=True)
class FileResult:
    """The outcome of ingesting one file."""

    path: str
    format: str | None
    status: str  # ok | partial | unchanged | error | unknown | ignored | note
    records: int = 0
    skipped: int = 0
    error: str | None = None
    skipped_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a symlink loop not followed


PARALLEL_MIN_FILES = 16


@dataclass(slots=True)
class _Planned:
    path: Path
    display: str
    source: Source | None
    sha: str
    result: FileResult | None  # already decided: unknown, unreadable or unchanged
    first: _Planned | None = None  # an earlier copy of the same content in this batch


def _parse_job(
    path: Path, source_name: str, display: str, host: str | None, key: bytes, limits: Limits
) -> Records | str:
    """Parse one file in a worker process; an input error comes back as its message."""
    set_limits(limits)
    ctx = ParseContext(display, host, key)
    try:
        with _gc_paused():
            return get_source(source_name).parse(path, ctx)
    except InputError as exc:
        return exc.render()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Parsers build many small objects and no cycles: the collector only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        yield pool


class Ingester:
    """Loads files into one open store, each file in its own transaction."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        host: str | None = None,
        now: datetime | None = None,
        key: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.con = con
        self.limits = limits
        self.host = host
        self.now = now
        self.key = fingerprint_key(con, key)

    def _context(self, display: str) -> ParseContext:
        return ParseContext(
            display=display,
            host=self.host,
            fingerprint_key=self.key,
        )

    def ingest(self, path: Path, fmt: Source | None = None) -> FileResult:
        """Ingest one file (or claimed directory); never raises for bad input."""
        return self.ingest_all([path], fmt, workers=1)[0]

    def _seen(self, sha: str, path: str) -> bool:
        """Whether this content, at this path, for this host, is already stored."""
        params = {"sha": sha, "path": path, "host": self.host}
        return self.con.execute(query("ingest_seen"), params).fetchone() is not None

    def ingest_all(
        self,
        paths: Sequence[Path],
        fmt: Source | None = None,
        on_file: Callable[[FileResult], None] | None = None,
        workers: int | None = None,
    ) -> list[FileResult]:
        """Ingest many files: parse in worker processes, load one file at a time, in order.

        Parsing is CPU-bound Python (TOML, JSON); loading needs the one connection.
        A pool is used only when there are enough files to repay its start-up.
        """
        with using(self.limits):
            return self._ingest_all(paths, fmt, on_file, workers)

    def _ingest_all(
        self,
        paths: Sequence[Path],
        fmt: Source | None,
        on_file: Callable[[FileResult], None] | None,
        workers: int | None,
    ) -> list[FileResult]:
        shared = SharedParses()
        planned = self._plan(paths, fmt, shared)
        jobs = [p for p in planned if _parses(p) and p.first is None]
        count = workers if workers is not None else (os.cpu_count() or 1)
        results: list[FileResult] = []
        with _pool(count if len(jobs) >= PARALLEL_MIN_FILES else 1) as pool:
            futures = {id(p): self._submit(pool, p) for p in jobs} if pool else {}
            for plan in planned:
                future = futures.pop(id(plan), None)
                result = plan.result or self._finish(plan, future, shared)
                results.append(result)
                if on_file:
                    on_file(result)
        return results

    def _submit(self, pool: ProcessPoolExecutor, plan: _Planned) -> Future[Records | str]:
        assert plan.source is not None
        return pool.submit(
            _parse_job, plan.path, plan.source.name, plan.display, self.host, self.key, self.limits
        )

    def _plan(
        self, paths: Sequence[Path], fmt: Source | None, shared: SharedParses
    ) -> list[_Planned]:
        """Detect and hash each input; decide at once what needs no parsing.

        Evidence already stored (same content, path and host) is "unchanged"; a further
        copy of some content in this batch is tied to its first copy, to share its parse.
        """
        planned: list[_Planned] = []
        batch: set[tuple[str, str]] = set()
        firsts: dict[tuple[str, str, str], _Planned] = {}
        for path in paths:
            display = str(path)
            try:
                source = fmt or detect(path)
                sha = file_digest(path, source)
            except InputError as exc:
                status = "unknown" if isinstance(exc, UnknownFormatError) else "error"
                failed = FileResult(display, fmt.name if fmt else None, status, error=exc.render())
                planned.append(_Planned(path, display, None, "", failed))
                continue
            seen = (sha, display) in batch or self._seen(sha, display)
            batch.add((sha, display))
            done = FileResult(display, source.name, "unchanged") if seen else None
            plan = _Planned(path, display, source, sha, done)
            key = content_key(sha, source, path) if _parses(plan) else None
            if key is not None:
                first = firsts.setdefault(key, plan)
                if first is not plan:
                    plan.first = first
                    shared.expect(first)
            planned.append(plan)
        return planned

    def _finish(
        self, plan: _Planned, future: Future[Records | str] | None, shared: SharedParses
    ) -> FileResult:
        assert plan.source is not None
        try:
            parsed = self._records(plan, future, shared)
            if isinstance(parsed, str):
                return FileResult(plan.display, plan.source.name, "error", error=parsed)
            return self._load(plan, parsed)
        except InputError as exc:
            return FileResult(plan.display, plan.source.name, "error", error=exc.render())
        except duckdb.Error as exc:
            message = str(exc).splitlines()[0]
            return FileResult(
                plan.display, plan.source.name, "error", error=f"{plan.display}: {message}"
            )

    def _records(
        self, plan: _Planned, future: Future[Records | str] | None, shared: SharedParses
    ) -> Records | str | None:
        """The file's records: an earlier copy's moved to this path, the worker's, or parsed
        here; None for a bulk source (it loads itself)."""
        assert plan.source is not None
        if not _parses(plan):
            return None
        copied = shared.take(plan.first, plan.display) if plan.first else None
        if copied is not None:
            return copied
        if future is not None:
            parsed = future.result()
        else:
            with _gc_paused():
                parsed = plan.source.parse(plan.path, self._context(plan.display))
        if isinstance(parsed, Records):
            shared.offer(plan, parsed, plan.display, plan.path)
        return parsed

    def _load(self, plan: _Planned, records: Records | None) -> FileResult:
        source, display, con = plan.source, plan.display, self.con
        assert source is not None
        path, ctx = plan.path, self._context(display)
        with transaction(con):
            row = con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests").fetchone()
            ingest_id = int(row[0]) if row else 1
            if records is None:
                assert isinstance(source, BulkSource)
                report = source.load(con, path, ctx, ingest_id)
                count, skipped = report.records, report.skipped
                reasons = self._reasons(ingest_id) if skipped else []
            else:
                prefix = Identity(plan.sha, display, self.host).artifact_prefix()
                load_records(con, ingest_id, prefix, records)
                count = records.count()
                skipped = sum(not s.informational for s in records.skipped)
                reasons = _reason_lines(records.skipped)
            status = "partial" if skipped else "ok"
            self._record(ingest_id, plan, count, skipped, status)
        return FileResult(display, source.name, status, count, skipped, None, reasons)

    def _record(
        self, ingest_id: int, plan: _Planned, count: int, skipped: int, status: str
    ) -> None:
        """The file's ``ingests`` row, written last in its transaction."""
        assert plan.source is not None
        row = {"ingest_id": ingest_id, "path": plan.display, "sha": plan.sha, "host": self.host}
        row |= {"format": plan.source.name, "at": self._stamp(), "status": status}
        run(self.con, "ingest_record", {**row, "records": count, "skipped": skipped})

    def _stamp(self) -> datetime:
        return (self.now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)

    def _reasons(self, ingest_id: int) -> list[str]:
        """The first skipped entries of a bulk-loaded file, read back from the store."""
        rows = self.con.execute(
            "SELECT source_file, source_line, reason FROM skipped WHERE ingest_id = ? "
            "ORDER BY source_line NULLS FIRST LIMIT ?",
            [ingest_id, REASONS_SHOWN],
        ).fetchall()
        return [_reason(f, line, r) for f, line, r in rows]


REASONS_SHOWN = 50


def _parses(plan: _Planned) -> bool:
    """Whether the file is still to be parsed in Python (not decided, not bulk-loaded)."""
    return plan.result is None and not isinstance(plan.source, BulkSource)


def _reason(file: str, line: int | None, reason: str) -> str:
    return f"{file}: line {line}: {reason}" if line else f"{file}: {reason}"


def _reason_lines(skipped: list[Skipped]) -> list[str]:
    """The first skipped entries of a parsed file, notes marked, in line order."""
    ordered = sorted(skipped, key=lambda s: (s.origin.line is not None, s.origin.line or 0))
    return [
        _reason(s.origin.file, s.origin.line, ("note: " if s.informational else "") + s.reason)
        for s in ordered[:REASONS_SHOWN]
    ]
