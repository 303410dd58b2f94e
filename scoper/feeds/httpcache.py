"""JSON over HTTP through an injected ``requests.Session``: CacheControl on disk, retries.

The HTTP cache is CacheControl (the one pip uses) with its ``FileCache`` under
``<cache dir>/http-cc``: it honours ``Cache-Control`` and revalidates stale
entries with ``If-None-Match`` / ``If-Modified-Since`` (a 304 serves the cached
body). Transport errors, 429 and 5xx are retried with exponential backoff
(urllib3 ``Retry``, honouring ``Retry-After``). Offline mode reads the cache
directly, fresh or stale; a miss is an :class:`AdvisoryUnavailableError`,
never an empty answer. Fetch times come from the injected clock (``--now``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scoper.errors import AdvisoryUnavailableError
from scoper.settings import Env, default_cache_dir

if TYPE_CHECKING:  # imported where used: `scoper --help` does not pay for them
    import requests
    from cachecontrol import CacheControlAdapter
    from urllib3.util.retry import Retry

CACHE_ENV = Env.CACHE.value
DEFAULT_TIMEOUT = 30.0
RETRY_STATUSES = (429, 500, 502, 503, 504)
__all__ = ["CACHE_ENV", "DEFAULT_TIMEOUT", "Fetched", "JsonFetcher", "default_cache_dir"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def default_retry(backoff: float = 0.5) -> Retry:
    """Three retries on connection errors, 429 and 5xx, backing off 0.5 s, 1 s, 2 s."""
    from urllib3.util.retry import Retry

    return Retry(
        total=3,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )


@dataclass(frozen=True, slots=True)
class Fetched:
    """A decoded JSON response and when it was fetched."""

    url: str
    fetched_at: datetime
    body: Any
    from_cache: bool = False


@dataclass(slots=True)
class JsonFetcher:
    """GET JSON documents with a timeout, retries, an HTTP cache and an offline switch.

    The CacheControl adapter is mounted on the injected session for http(s).
    """

    session: requests.Session
    cache_dir: Path = field(default_factory=default_cache_dir)
    offline: bool = False
    timeout: float = DEFAULT_TIMEOUT
    clock: Callable[[], datetime] = _utcnow
    retry: Retry = field(default_factory=default_retry)
    _adapter: CacheControlAdapter | None = None

    def adapter(self) -> CacheControlAdapter:
        """The caching adapter (mounted on first use)."""
        import requests
        from cachecontrol import CacheControlAdapter
        from cachecontrol.caches.file_cache import FileCache

        if self._adapter is None:
            cache = FileCache(str(self.cache_dir / "http-cc"))
            self._adapter = CacheControlAdapter(cache=cache, max_retries=self.retry)
            if isinstance(self.session, requests.Session):  # stand-ins in tests have no mount
                for prefix in ("https://", "http://"):
                    self.session.mount(prefix, self._adapter)
        return self._adapter

    def get(self, url: str, accept: str = "application/json") -> Fetched:
        """The document at ``url``, from the network (revalidated) or the cache."""
        import requests

        if self.offline:
            return self._offline(url, accept)
        self.adapter()
        try:
            response = self.session.get(url, headers={"Accept": accept}, timeout=self.timeout)
        except requests.RequestException as exc:
            raise AdvisoryUnavailableError(f"{url}: request failed: {exc}") from exc
        if response.status_code != 200:
            raise AdvisoryUnavailableError(f"{url}: HTTP {response.status_code}")
        cached = bool(getattr(response, "from_cache", False))
        return Fetched(url, self.clock(), _decode(url, response.content), cached)

    def cached(self, url: str, accept: str = "application/json") -> Fetched | None:
        """The cached copy of ``url`` (fresh or stale); None when absent or unreadable."""
        import requests

        adapter = self.adapter()
        request = requests.Request("GET", url, headers={"Accept": accept})
        # The session's own headers (Accept-Encoding) too: PyPI answers ``Vary: Accept,
        # Accept-Encoding`` and the cache only serves a request that matches them.
        real = isinstance(self.session, requests.Session)
        prepared = self.session.prepare_request(request) if real else request.prepare()
        controller = adapter.controller
        data = controller.cache.get(controller.cache_url(url))
        if data is None:
            return None
        stored = controller.serializer.loads(prepared, data)
        if stored is None:
            return None
        try:
            body = _decode(url, stored.read())
        except AdvisoryUnavailableError:
            return None
        return Fetched(url, _date(stored.headers.get("Date")) or self.clock(), body, True)

    def _offline(self, url: str, accept: str) -> Fetched:
        found = self.cached(url, accept)
        if found is None:
            raise AdvisoryUnavailableError(
                f"{url}: not in the cache ({self.cache_dir / 'http-cc'}) and offline mode is on"
            )
        return found


def _decode(url: str, content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError as exc:
        raise AdvisoryUnavailableError(f"{url}: response is not JSON") from exc


def _date(header: str | None) -> datetime | None:
    from email.utils import parsedate_to_datetime

    if not header:
        return None
    try:
        return parsedate_to_datetime(header).astimezone(UTC)
    except (TypeError, ValueError):
        return None
