"""Progress of long work: rich on a terminal, plain periodic lines otherwise (CI logs).

Always on stderr, never stdout (a report may be piped there).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from scoper.ingest import FileResult

EVERY_FILES = 1000
EVERY_SECONDS = 5.0


class ProgressLines:
    """Writes ``ingest: 5000/10000 files, 0 errors`` every ``every_files`` files or
    ``every_seconds`` seconds (whichever comes first), and once at the end."""

    def __init__(
        self,
        write: Callable[[str], None],
        *,
        every_files: int = EVERY_FILES,
        every_seconds: float = EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.write = write
        self.every_files = every_files
        self.every_seconds = every_seconds
        self.clock = clock
        self.total = 0
        self.done = 0
        self.errors = 0
        self._last = clock()

    def start(self, total: int) -> None:
        """The number of files about to be ingested."""
        self.total = total
        self._last = self.clock()

    def __call__(self, result: FileResult) -> None:
        """One more file done."""
        self.done += 1
        self.errors += result.status in ("error", "unknown")
        now = self.clock()
        due = self.done % self.every_files == 0 or now - self._last >= self.every_seconds
        if due or self.done == self.total:
            self._last = now
            self.write(f"ingest: {self.done}/{self.total} files, {self.errors} errors")


class PhaseLines:
    """For work in named phases (``scope``): a line ``scope: 12 s, now <phase> (4/10)``
    when ``every_seconds`` passed since the last line, and ``scope: done in 31.0 s`` at
    the end if anything was written, so a quick run on a small store stays quiet."""

    def __init__(
        self,
        write: Callable[[str], None],
        *,
        label: str = "scope",
        total: int = 0,
        every_seconds: float = EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.write = write
        self.label = label
        self.total = total
        self.every_seconds = every_seconds
        self.clock = clock
        self.done = 0
        self.written = 0
        self._start = self._last = clock()

    def __call__(self, phase: str) -> None:
        """``phase`` is starting."""
        self.done += 1
        now = self.clock()
        if now - self._last >= self.every_seconds:
            self._last = now
            self.written += 1
            of = f"/{self.total}" if self.total else ""
            self.write(f"{self.label}: {now - self._start:.0f} s, now {phase} ({self.done}{of})")

    def close(self) -> None:
        """The work ended: say how long it took, if any progress line was written."""
        if self.written:
            self.write(f"{self.label}: done in {self.clock() - self._start:.1f} s")


@contextmanager
def phases(
    console: Console, label: str, total: int = 0, every_seconds: float | None = None
) -> Iterator[Callable[[str], None]]:
    """A phase callback for ``console`` (stderr): a transient rich spinner naming the phase
    on a terminal, :class:`PhaseLines` (every :data:`EVERY_SECONDS` unless told) otherwise."""
    if not console.is_terminal:
        lines = PhaseLines(
            lambda text: console.print(text, highlight=False, markup=False),
            label=label,
            total=total,
            every_seconds=EVERY_SECONDS if every_seconds is None else every_seconds,
        )
        yield lines
        lines.close()
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total or None)

        def advance(phase: str) -> None:
            progress.update(task, advance=1, description=f"{label}: {phase}")

        yield advance


@contextmanager
def file_progress(
    console: Console,
) -> Iterator[tuple[Callable[[FileResult], None], Callable[[int], None]]]:
    """``(on_file, on_start)`` for an ingest: a transient rich bar (total known once
    ``on_start`` says it, the current file's name) on a terminal, :class:`ProgressLines`
    otherwise."""
    lines = ProgressLines(lambda text: console.print(text, highlight=False, markup=False))
    terminal = console.is_terminal
    with Progress(console=console, transient=True, disable=not terminal) as progress:
        task = progress.add_task("ingesting", total=None)

        def start(total: int) -> None:
            lines.start(total)
            progress.update(task, total=total)

        def advance(result: FileResult) -> None:
            progress.update(task, advance=1, description=Path(result.path).name)
            if not terminal:
                lines(result)

        yield advance, start
