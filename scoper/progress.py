"""Progress of a long ingest as plain lines, for stderr that is not a terminal (CI logs)."""

from __future__ import annotations

import time
from collections.abc import Callable

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
