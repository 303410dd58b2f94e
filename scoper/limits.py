"""Resource limits on input files, in one place (overridable through ``Settings.limits``).

A reader never holds more than ``max_bytes`` bytes of one decompressed file, and a
gzip that expands more than ``max_ratio`` times (past ``ratio_floor``) is refused as a
bomb. A line longer than ``max_line`` is skipped by line-oriented readers, not read.
An advisory archive holds at most ``max_members`` records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of one input file scoper will read."""

    max_bytes: int = 1024 * MIB  # bytes of one file, decompressed
    max_ratio: int = 200  # decompressed / compressed bytes
    ratio_floor: int = 16 * MIB  # the ratio is checked once this much has come out
    max_line: int = 16 * MIB  # bytes of one line in a line-oriented format
    max_members: int = 1_000_000  # records in one advisory archive (zip)


def mib(size: int) -> str:
    """``size`` bytes written in MiB for messages (``16 MiB``, ``0.25 MiB``)."""
    return f"{size / MIB:.4g} MiB"


DEFAULT_LIMITS = Limits()
_current = [DEFAULT_LIMITS]


def current() -> Limits:
    """The limits readers apply in this process."""
    return _current[0]


def set_limits(limits: Limits) -> None:
    """Make ``limits`` the ones readers apply in this process (a worker sets its own)."""
    _current[0] = limits


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Apply ``limits`` for the duration of a block, then restore the previous ones."""
    previous = current()
    set_limits(limits)
    try:
        yield limits
    finally:
        set_limits(previous)
