"""JSON over HTTP through an injected ``requests.Session``, with an on-disk cache.

The cache lives under ``$SCOPER_CACHE`` (else ``~/.cache/scoper``) in ``http/``:
one file per URL (named by the URL's sha256) holding the URL, the fetch time and
the decoded body. Offline mode serves only the cache; a miss is an
:class:`AdvisoryUnavailableError`, never an empty answer.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from scoper.errors import AdvisoryUnavailableError
from scoper.settings import Env, default_cache_dir
from scoper.times import parse_time

CACHE_ENV = Env.CACHE.value
DEFAULT_TIMEOUT = 30.0
__all__ = ["CACHE_ENV", "DEFAULT_TIMEOUT", "Fetched", "JsonFetcher", "default_cache_dir"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A decoded JSON response and when it was fetched."""

    url: str
    fetched_at: datetime
    body: Any
    from_cache: bool = False


@dataclass(slots=True)
class JsonFetcher:
    """GET JSON documents with a timeout, a cache and an offline switch.

    ``max_age``: when online, a cached copy younger than this is served without a
    request (None: always fetch, then refresh the cache).
    """

    session: requests.Session
    cache_dir: Path = field(default_factory=default_cache_dir)
    offline: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_age: timedelta | None = None
    clock: Callable[[], datetime] = _utcnow

    def get(self, url: str, accept: str = "application/json") -> Fetched:
        """The document at ``url``, from the network or the cache."""
        cached = self.cached(url)
        if self.offline:
            if cached is None:
                raise AdvisoryUnavailableError(
                    f"{url}: not in the cache ({self._path(url)}) and offline mode is on"
                )
            return cached
        if cached is not None and self._fresh(cached):
            return cached
        fetched = Fetched(url, self.clock(), self._download(url, accept))
        self._store(fetched)
        return fetched

    def _fresh(self, cached: Fetched) -> bool:
        return self.max_age is not None and self.clock() - cached.fetched_at <= self.max_age

    def cached(self, url: str) -> Fetched | None:
        """The cached copy of ``url``; None when absent or unreadable."""
        try:
            entry = json.loads(self._path(url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("url") != url:
            return None
        fetched_at = parse_time(str(entry.get("fetched_at")), assume_utc=False)
        if fetched_at is None or "body" not in entry:
            return None
        return Fetched(url, fetched_at, entry["body"], from_cache=True)

    def _path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache_dir / "http" / f"{digest}.json"

    def _download(self, url: str, accept: str) -> Any:
        try:
            response = self.session.get(url, headers={"Accept": accept}, timeout=self.timeout)
        except requests.RequestException as exc:
            raise AdvisoryUnavailableError(f"{url}: request failed: {exc}") from exc
        if response.status_code != 200:
            raise AdvisoryUnavailableError(f"{url}: HTTP {response.status_code}")
        try:
            return json.loads(response.content)
        except ValueError as exc:
            raise AdvisoryUnavailableError(f"{url}: response is not JSON") from exc

    def _store(self, fetched: Fetched) -> None:
        path = self._path(fetched.url)
        entry = {
            "url": fetched.url,
            "fetched_at": fetched.fetched_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "body": fetched.body,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(entry), encoding="utf-8")
            partial.replace(path)
        except OSError:
            return  # an unwritable cache costs a refetch next time, not the answer
