"""Settings: everything scoper takes from flags and the environment, built once.

Precedence: an explicit value (a flag) wins, then the environment, then the
default. This is the only module that reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from scoper.errors import UsageError
from scoper.limits import DEFAULT_LIMITS, Limits

DEFAULT_DB = "scoper.duckdb"
MEMORY = ":memory:"
DEFAULT_WAIT = 5.0  # seconds to wait for another process's write lock on the store


class Env(StrEnum):
    """The environment variables scoper reads."""

    DB = "SCOPER_DB"
    FINGERPRINT_KEY = "SCOPER_FINGERPRINT_KEY"
    CACHE = "SCOPER_CACHE"
    NOW = "SCOPER_NOW"


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$SCOPER_CACHE``, else ``~/.cache/scoper``."""
    configured = (os.environ if environ is None else environ).get(Env.CACHE)
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "scoper"


def parse_now(text: str, flag: str = "--now") -> datetime:
    """An RFC 3339 time with a zone (``2026-03-25T00:00:00Z``) as an aware UTC datetime."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise UsageError(
            f"{flag} takes an RFC 3339 time with a zone, e.g. 2026-03-25T00:00:00Z; got {text!r}"
        )
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Settings:
    """How one scoper run behaves. ``fingerprint_key`` is a secret: never shown.

    ``now`` pins the wall clock (ingest stamps, cache times) for deterministic
    output; ``advisories`` are extra OSV files, folders or zips. ``limits`` bound what
    one input file may cost; ``wait`` is how many seconds to wait for a busy store.
    """

    db: str = DEFAULT_DB
    cache_dir: Path = field(default_factory=default_cache_dir)
    fingerprint_key: str | None = field(default=None, repr=False)
    offline: bool = False
    now: datetime | None = None
    workers: int | None = None
    advisories: tuple[Path, ...] = ()
    limits: Limits = DEFAULT_LIMITS
    wait: float = DEFAULT_WAIT

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        db: str | Path | None = None,
        cache_dir: Path | None = None,
        fingerprint_key: str | None = None,
        offline: bool = False,
        now: datetime | str | None = None,
        workers: int | None = None,
        advisories: Sequence[Path] = (),
        limits: Limits = DEFAULT_LIMITS,
        wait: float | None = None,
    ) -> Settings:
        """Settings from explicit values, falling back to ``environ`` (default: the process's)."""
        env = os.environ if environ is None else environ
        stamp = now if now is not None else env.get(Env.NOW) or None
        return cls(
            db=str(db) if db is not None else env.get(Env.DB) or DEFAULT_DB,
            cache_dir=cache_dir or default_cache_dir(env),
            fingerprint_key=fingerprint_key or env.get(Env.FINGERPRINT_KEY) or None,
            offline=offline,
            now=parse_now(stamp) if isinstance(stamp, str) else stamp,
            workers=workers,
            advisories=tuple(Path(p) for p in advisories),
            limits=limits,
            wait=DEFAULT_WAIT if wait is None else wait,
        )

    def clock(self) -> datetime:
        """The pinned ``now``, else the current time (aware, UTC)."""
        return self.now if self.now is not None else datetime.now(UTC)
