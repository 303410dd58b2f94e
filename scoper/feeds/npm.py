"""Release history of an npm package from the registry document's ``time`` map.

The full document (``https://registry.npmjs.org/NAME``) is needed: the abbreviated
install document (``Accept: application/vnd.npm.install-v1+json``) has no
``time``. A version in ``time`` but absent from ``versions`` was unpublished at
an unknown moment: it counts as removed at ``time.modified`` (the latest it can
have happened). A fully unpublished package carries ``time.unpublished`` and
every version counts as removed then. A document without ``time.created``
(some mirrors) is not trusted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.httpcache import JsonFetcher
from scoper.feeds.model import Release
from scoper.times import parse_time

NPM_REGISTRY = "https://registry.npmjs.org"
FULL_DOCUMENT = "application/json"
_NOT_VERSIONS = frozenset({"created", "modified", "unpublished"})


def package_url(name: str, base_url: str = NPM_REGISTRY) -> str:
    """The registry document URL (a scoped name keeps its ``@``, its ``/`` is escaped)."""
    return f"{base_url}/{quote(name, safe='@')}"


def fetch_npm_releases(
    name: str, fetcher: JsonFetcher, *, base_url: str = NPM_REGISTRY
) -> tuple[Release, ...]:
    """Every published version of ``name`` with its publish time, oldest first."""
    url = package_url(name, base_url)
    return releases_from_document(fetcher.get(url, FULL_DOCUMENT).body, url)


def releases_from_document(body: Any, url: str) -> tuple[Release, ...]:
    """Releases from a full registry document."""
    times = body.get("time") if isinstance(body, dict) else None
    if not isinstance(times, dict):
        raise AdvisoryUnavailableError(f"{url}: unexpected response: no 'time' object")
    if "created" not in times:
        raise AdvisoryUnavailableError(
            f"{url}: 'time' has no 'created' entry; not trusting its publish times"
        )
    versions = body.get("versions")
    listed = set(versions) if isinstance(versions, dict) else set()
    gone_all = _unpublished(times)
    modified = parse_time(str(times.get("modified")), assume_utc=False)
    releases = []
    for version, stamp in times.items():
        when = parse_time(str(stamp), assume_utc=False) if version not in _NOT_VERSIONS else None
        if when is None:
            continue
        removed = gone_all or (None if version in listed else modified)
        releases.append(Release(version, when, False, removed))
    return tuple(sorted(releases, key=lambda r: (r.uploaded_at or datetime.min, r.version)))


def _unpublished(times: dict[str, Any]) -> datetime | None:
    node = times.get("unpublished")
    if isinstance(node, dict):
        return parse_time(str(node.get("time")), assume_utc=False)
    return None
