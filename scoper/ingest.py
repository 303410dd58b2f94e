"""Ingest: parse detected inputs (:mod:`scoper.inputs`), load each file atomically."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import duckdb

from scoper.errors import InputError, UnknownFormatError
from scoper.evidence import Identity, SharedParses, content_key
from scoper.inputs import detect, file_digest, is_documentation, iter_inputs
from scoper.limits import DEFAULT_LIMITS, Limits, using
from scoper.model import Records
from scoper.outcomes import REASONS_SHOWN, FileResult, Pending, loaded, reason, reason_lines
from scoper.parsing import gc_paused, parse_job, worker_count, worker_pool
from scoper.sources.base import BulkSource, ParseContext, Source
from scoper.store.db import fingerprint_key, transaction
from scoper.store.load import RowBatch
from scoper.store.sql import query, run

_T = TypeVar("_T")

__all__ = ["FileResult", "Ingester", "detect", "file_digest", "is_documentation", "iter_inputs"]


@dataclass(slots=True)
class _Planned:
    path: Path
    display: str
    source: Source | None
    sha: str
    result: FileResult | None  # already decided: unknown, unreadable or unchanged
    first: _Planned | None = None  # an earlier copy of the same content in this batch


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
        pending = Pending(on_file)
        with worker_pool(worker_count([p.path for p in jobs], workers)) as pool:
            futures = {id(p): self._submit(pool, p) for p in jobs} if pool else {}
            for plan in planned:
                future = futures.pop(id(plan), None)
                self._step(plan, future, shared, pending)
            self._flush(pending)
        return pending.results

    def _step(
        self,
        plan: _Planned,
        future: Future[Records | str] | None,
        shared: SharedParses,
        pending: Pending,
    ) -> None:
        """Decide one file: queue its records for the next batch, or its outcome."""
        if plan.result is not None:
            pending.entries.append(plan.result)
            return
        parsed = self._guarded(plan, lambda: self._records(plan, future, shared))
        if parsed is None:  # a bulk source loads itself, in its own transaction
            self._flush(pending)
            pending.entries.append(self._guarded(plan, lambda: self._load(plan, None)))
        elif isinstance(parsed, Records):
            pending.entries.append((plan, parsed))
            pending.rows += parsed.count() + len(parsed.skipped)
            if pending.full():
                self._flush(pending)
        elif isinstance(parsed, str):
            assert plan.source is not None
            pending.entries.append(
                FileResult(plan.display, plan.source.name, "error", error=parsed)
            )
        else:
            pending.entries.append(parsed)

    def _flush(self, pending: Pending) -> None:
        """Write the queued files in one transaction (one by one if that fails), then
        report every queued outcome in input order."""
        loads = [e for e in pending.entries if isinstance(e, tuple)]
        done: dict[int, FileResult] = {}
        if loads:
            try:
                done = self._load_batch(loads)
            except duckdb.Error:
                done = {id(p): self._guarded(p, partial(self._load, p, r)) for p, r in loads}
        for entry in pending.entries:
            result = done[id(entry[0])] if isinstance(entry, tuple) else entry
            pending.emit(result)
        pending.entries.clear()
        pending.rows = 0

    def _submit(self, pool: ProcessPoolExecutor, plan: _Planned) -> Future[Records | str]:
        assert plan.source is not None
        return pool.submit(
            parse_job, plan.path, plan.source.name, plan.display, self.host, self.key, self.limits
        )

    def _plan(
        self, paths: Sequence[Path], fmt: Source | None, shared: SharedParses
    ) -> list[_Planned]:
        """Detect and hash each input; decide at once what needs no parsing.

        Evidence already stored (same content, path and host) is "unchanged"; a further
        copy of some content in this batch is tied to its first copy, to share its parse.
        """
        planned: list[_Planned] = []
        params = {"host": self.host}
        batch = {
            (str(sha), str(path))
            for sha, path in self.con.execute(query("ingests_of_host"), params).fetchall()
        }
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
            seen = (sha, display) in batch
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

    def _guarded(self, plan: _Planned, step: Callable[[], _T]) -> _T | FileResult:
        """``step()``, or the file's error outcome when it raises for bad input."""
        assert plan.source is not None
        try:
            return step()
        except InputError as exc:
            return FileResult(plan.display, plan.source.name, "error", error=exc.render())
        except duckdb.Error as exc:
            message = f"{plan.display}: {str(exc).splitlines()[0]}"
            return FileResult(plan.display, plan.source.name, "error", error=message)

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
            with gc_paused():
                parsed = plan.source.parse(plan.path, self._context(plan.display))
        if isinstance(parsed, Records):
            shared.offer(plan, parsed, plan.display, plan.path)
        return parsed

    def _load(self, plan: _Planned, records: Records | None) -> FileResult:
        """Load one file in its own transaction (a bulk source loads itself)."""
        source, display, con = plan.source, plan.display, self.con
        assert source is not None
        if records is not None:
            return self._load_batch([(plan, records)])[id(plan)]
        assert isinstance(source, BulkSource)
        with transaction(con):
            ingest_id = self._next_id()
            report = source.load(con, plan.path, self._context(display), ingest_id)
            count, skipped = report.records, report.skipped
            reasons = self._reasons(ingest_id) if skipped else []
            result = loaded(display, source.name, (count, skipped), reasons)
            self._record(ingest_id, plan, count, skipped, result.status)
        return result

    def _load_batch(self, loads: list[tuple[_Planned, Records]]) -> dict[int, FileResult]:
        """Load parsed files in one transaction: each is wholly stored or, on failure, none
        is (each file stays atomic); outcomes by ``id(plan)``."""
        batch, done = RowBatch(), {}
        with transaction(self.con):
            first = self._next_id()
            for ingest_id, (plan, records) in enumerate(loads, first):
                assert plan.source is not None
                prefix = Identity(plan.sha, plan.display, self.host).artifact_prefix()
                batch.add(ingest_id, prefix, records)
                skipped = sum(not s.informational for s in records.skipped)
                missing = reason_lines([s for s in records.skipped if s.missing])
                counts = (records.count(), skipped)
                reasons = reason_lines(records.skipped)
                result = loaded(plan.display, plan.source.name, counts, reasons, missing)
                batch.add_rows("ingests", ingest_id, [self._ingest_row(plan, result)])
                done[id(plan)] = result
            batch.write(self.con)
        return done

    def _next_id(self) -> int:
        row = self.con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ingests").fetchone()
        return int(row[0]) if row else 1

    def _ingest_row(self, plan: _Planned, result: FileResult) -> dict[str, object]:
        return {
            "path": plan.display,
            "sha256": plan.sha,
            "format": result.format,
            "ingested_at": self._stamp(),
            "records": result.records,
            "skipped": result.skipped,
            "status": result.status,
            "host": self.host,
        }

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
        return [reason(f, line, r) for f, line, r in rows]


def _parses(plan: _Planned) -> bool:
    """Whether the file is still to be parsed in Python (not decided, not bulk-loaded)."""
    return plan.result is None and not isinstance(plan.source, BulkSource)
