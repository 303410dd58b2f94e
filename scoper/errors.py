"""Errors and exit codes. Every layer raises a subclass of ScoperError."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (a contract, see docs/exit-codes.md)."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INPUT = 3
    ADVISORY_DATA = 4
    BUSY = 5


class ScoperError(Exception):
    """Root of all scoper errors; carries the exit code it maps to."""

    exit_code: ExitCode = ExitCode.INPUT


class InputError(ScoperError):
    """A file could not be read or understood.

    Rendered as ``file: place: message`` so the user can find the spot,
    e.g. ``uv.lock: package[12]: missing 'version'``.
    """

    exit_code = ExitCode.INPUT

    def __init__(self, file: str, message: str, place: str | None = None) -> None:
        self.file = file
        self.place = place
        self.message = message
        super().__init__(self.render())

    def render(self) -> str:
        parts = [self.file]
        if self.place:
            parts.append(self.place)
        parts.append(self.message)
        return ": ".join(parts)


class UnknownFormatError(InputError):
    """No registered source recognises the file."""


class StoreError(ScoperError):
    """The DuckDB store could not be opened or migrated."""

    exit_code = ExitCode.INPUT


class StoreBusyError(StoreError):
    """Another process holds the store's write lock past the wait (exit 5)."""

    exit_code = ExitCode.BUSY


class AdvisoryError(ScoperError):
    """An advisory file is malformed (exit 3)."""

    exit_code = ExitCode.INPUT


class AdvisoryUnavailableError(ScoperError):
    """Advisory data needed for an answer is missing or stale (exit 4)."""

    exit_code = ExitCode.ADVISORY_DATA


class UsageError(ScoperError):
    """The command line asks for something that cannot be done (exit 2)."""

    exit_code = ExitCode.USAGE
