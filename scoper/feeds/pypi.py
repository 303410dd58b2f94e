"""Release history of a PyPI project (upload times, yanks) for resolver inference.

Uses only project-level endpoints: the JSON API ``/pypi/NAME/json`` (per file
``upload_time_iso_8601`` and ``yanked``) or the simple API as PEP 691 JSON with
PEP 700 ``upload-time``. A release's ``uploaded_at`` is its earliest file upload;
it counts as yanked when every file is. Deleted releases are absent from both
APIs: bundled advisories carry them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import requests
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.httpcache import DEFAULT_TIMEOUT, JsonFetcher, default_cache_dir
from scoper.feeds.model import Release
from scoper.times import parse_time

PYPI_URL = "https://pypi.org"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
Api = Literal["json", "simple"]
_SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar")


def release_history(
    name: str,
    session: requests.Session,
    *,
    api: Api = "json",
    offline: bool = False,
    cache_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_age: timedelta | None = None,
    base_url: str = PYPI_URL,
) -> tuple[Release, ...]:
    """Every release of ``name`` with its first upload time, oldest first."""
    fetcher = JsonFetcher(
        session,
        cache_dir or default_cache_dir(),
        offline=offline,
        timeout=timeout,
        max_age=max_age,
    )
    return fetch_releases(name, fetcher, api=api, base_url=base_url)


def fetch_releases(
    name: str, fetcher: JsonFetcher, *, api: Api = "json", base_url: str = PYPI_URL
) -> tuple[Release, ...]:
    """Like :func:`release_history` with a prepared fetcher."""
    project = canonicalize_name(name)
    if api == "simple":
        url = f"{base_url}/simple/{project}/"
        return releases_from_simple(fetcher.get(url, SIMPLE_JSON).body, project, url)
    url = f"{base_url}/pypi/{project}/json"
    return releases_from_project_json(fetcher.get(url).body, url)


def releases_from_project_json(body: Any, url: str) -> tuple[Release, ...]:
    """Releases from a ``/pypi/NAME/json`` document."""
    releases = body.get("releases") if isinstance(body, dict) else None
    if not isinstance(releases, dict):
        raise _unexpected(url, "no 'releases' object")
    found: dict[str, list[tuple[datetime, bool]]] = {}
    for version, files in releases.items():
        if not isinstance(files, list):
            raise _unexpected(url, f"releases[{version!r}] is not a list")
        found[version] = [_json_file(url, version, item) for item in files]
    return _releases(found)


def releases_from_simple(body: Any, project: str, url: str) -> tuple[Release, ...]:
    """Releases from a PEP 691 JSON simple page with PEP 700 upload times."""
    files = body.get("files") if isinstance(body, dict) else None
    if not isinstance(files, list):
        raise _unexpected(url, "no 'files' list")
    found: dict[str, list[tuple[datetime, bool]]] = defaultdict(list)
    for index, item in enumerate(files):
        if not isinstance(item, dict) or not isinstance(item.get("filename"), str):
            raise _unexpected(url, f"files[{index}] has no filename")
        version = file_version(item["filename"], project)
        if version is None:
            continue  # legacy formats (.exe, .msi, .rpm): not installable by a resolver
        uploaded = parse_time(str(item.get("upload-time")), assume_utc=False)
        if uploaded is None:
            raise _unexpected(url, f"files[{index}] has no PEP 700 'upload-time'")
        found[_normal(version)].append((uploaded, bool(item.get("yanked"))))
    return _releases(found)


def file_version(filename: str, project: str) -> str | None:
    """The version in a distribution file name of ``project``; None if not one."""
    if filename.endswith((".whl", ".egg")):
        parts = filename.rsplit(".", 1)[0].split("-")
        return parts[1] if len(parts) >= 2 and canonicalize_name(parts[0]) == project else None
    for suffix in _SDIST_SUFFIXES:
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            for index, char in enumerate(stem):
                if char == "-" and canonicalize_name(stem[:index]) == project:
                    return stem[index + 1 :] or None
            return None
    return None


def _json_file(url: str, version: str, item: Any) -> tuple[datetime, bool]:
    if not isinstance(item, dict):
        raise _unexpected(url, f"releases[{version!r}] has a file that is not an object")
    uploaded = parse_time(str(item.get("upload_time_iso_8601")), assume_utc=False)
    if uploaded is None:
        raise _unexpected(url, f"releases[{version!r}] has a file without upload_time_iso_8601")
    return uploaded, bool(item.get("yanked"))


def _releases(found: dict[str, list[tuple[datetime, bool]]]) -> tuple[Release, ...]:
    releases = [
        Release(version, min(t for t, _ in files), all(y for _, y in files))
        for version, files in found.items()
        if files  # a release without files cannot be installed
    ]
    return tuple(sorted(releases, key=lambda r: (r.uploaded_at, r.version)))


def _normal(version: str) -> str:
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


def _unexpected(url: str, what: str) -> AdvisoryUnavailableError:
    return AdvisoryUnavailableError(f"{url}: unexpected response: {what}")
