"""What ingest tells its caller: one outcome per file, in input order, with reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scoper.model import Records, Skipped

REASONS_SHOWN = 50
BATCH_FILES = 500  # small files loaded per transaction
BATCH_ROWS = 200_000  # or fewer files when they hold this many rows


@dataclass(slots=True)
class FileResult:
    """The outcome of ingesting one file."""

    path: str
    format: str | None
    status: str  # ok | partial | empty | unchanged | error | unknown | ignored | note
    records: int = 0
    skipped: int = 0
    error: str | None = None
    skipped_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a symlink loop not followed
    missing: list[str] = field(default_factory=list)  # inputs it names that were not read


def loaded(
    display: str,
    fmt: str,
    counts: tuple[int, int],
    reasons: list[str],
    missing: list[str] | None = None,
) -> FileResult:
    """The outcome of a stored file: ``empty`` when it gave nothing and said nothing."""
    count, skipped = counts
    status = "empty" if not (count or reasons) else "partial" if skipped else "ok"
    error = f"{display}: empty input, no records" if status == "empty" else None
    return FileResult(display, fmt, status, count, skipped, error, reasons, missing=missing or [])


@dataclass(slots=True)
class Pending:
    """Outcomes and parsed files (``(plan, records)``) queued for the next batch;
    outcomes are reported in input order."""

    on_file: Callable[[FileResult], None] | None
    entries: list[FileResult | tuple[Any, Records]] = field(default_factory=list)
    rows: int = 0
    results: list[FileResult] = field(default_factory=list)

    def full(self) -> bool:
        """Whether the queued files should be written now."""
        return len(self.entries) >= BATCH_FILES or self.rows >= BATCH_ROWS

    def emit(self, result: FileResult) -> None:
        """Report one file's outcome."""
        self.results.append(result)
        if self.on_file:
            self.on_file(result)


def reason(file: str, line: int | None, text: str) -> str:
    """One skipped entry as ``file: line N: reason``."""
    return f"{file}: line {line}: {text}" if line else f"{file}: {text}"


def reason_lines(skipped: list[Skipped]) -> list[str]:
    """The first skipped entries of a parsed file, notes marked, in line order."""
    ordered = sorted(skipped, key=lambda s: (s.origin.line is not None, s.origin.line or 0))
    return [
        reason(s.origin.file, s.origin.line, ("note: " if s.informational else "") + s.reason)
        for s in ordered[:REASONS_SHOWN]
    ]
