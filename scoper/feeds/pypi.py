"""Release history of a PyPI project (upload times, yanks) for resolver inference.

Uses only project-level endpoints: the simple API as PEP 691 JSON with PEP 700
``upload-time`` and PEP 792 ``project-status`` (default), falling back to the JSON
API ``/pypi/NAME/json`` (per file ``upload_time_iso_8601``, ``yanked``,
``requires_python``). A release's ``uploaded_at`` is its earliest file upload; it
counts as yanked when every file is. Per-file records (:class:`DistFile`) feed the
resolver at a moment. Deleted releases are absent from both APIs: bundled
advisories carry them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.httpcache import DEFAULT_TIMEOUT, JsonFetcher, default_cache_dir
from scoper.feeds.model import Release
from scoper.times import parse_time

if TYPE_CHECKING:
    import requests

PYPI_URL = "https://pypi.org"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
Api = Literal["json", "simple", "auto"]
INSTALLABLE_STATUSES = frozenset({"active", "archived", "deprecated"})


@dataclass(frozen=True, slots=True)
class DistFile:
    """One distribution file of a release, as the index lists it."""

    filename: str
    version: str
    uploaded_at: datetime
    yanked: bool = False
    requires_python: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    """A project's files and PEP 792 status (``quarantined``: nothing installable)."""

    name: str
    files: tuple[DistFile, ...]
    status: str = "active"
    fetched_at: datetime | None = None
    url: str = ""

    @property
    def installable(self) -> bool:
        """False when the index says nothing of this project may be installed."""
        return self.status in INSTALLABLE_STATUSES

    def releases(self) -> tuple[Release, ...]:
        """Per-release summary; a quarantined project's releases count as removed at fetch."""
        grouped: dict[str, list[tuple[datetime, bool]]] = defaultdict(list)
        for f in self.files:
            grouped[f.version].append((f.uploaded_at, f.yanked))
        removed = None if self.installable else self.fetched_at
        return tuple(
            Release(r.version, r.uploaded_at, r.yanked, removed) for r in _releases(grouped)
        )


_SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar")


def release_history(
    name: str,
    session: requests.Session,
    *,
    api: Api = "json",
    offline: bool = False,
    cache_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    base_url: str = PYPI_URL,
) -> tuple[Release, ...]:
    """Every release of ``name`` with its first upload time, oldest first."""
    fetcher = JsonFetcher(session, cache_dir or default_cache_dir(), offline, timeout)
    return fetch_releases(name, fetcher, api=api, base_url=base_url)


def fetch_releases(
    name: str, fetcher: JsonFetcher, *, api: Api = "json", base_url: str = PYPI_URL
) -> tuple[Release, ...]:
    """Like :func:`release_history` with a prepared fetcher."""
    return fetch_files(name, fetcher, api=api, base_url=base_url).releases()


def fetch_files(
    name: str, fetcher: JsonFetcher, *, api: Api = "auto", base_url: str = PYPI_URL
) -> ProjectFiles:
    """Per-file history: the simple API, else (``auto``) the project JSON as fallback."""
    project = canonicalize_name(name)
    simple_url = f"{base_url}/simple/{project}/"
    json_url = f"{base_url}/pypi/{project}/json"
    if api == "json":
        return _from_json(project, fetcher, json_url)
    try:
        fetched = fetcher.get(simple_url, SIMPLE_JSON)
        return files_from_simple(fetched.body, project, simple_url, fetched.fetched_at)
    except AdvisoryUnavailableError as simple_error:
        if api == "simple":
            raise
        try:
            return _from_json(project, fetcher, json_url)
        except AdvisoryUnavailableError as json_error:
            raise AdvisoryUnavailableError(
                f"release history unavailable{' offline' if fetcher.offline else ''} for "
                f"{project}: {simple_error}; {json_error}"
            ) from None


def _from_json(project: str, fetcher: JsonFetcher, url: str) -> ProjectFiles:
    fetched = fetcher.get(url)
    return files_from_project_json(fetched.body, project, url, fetched.fetched_at)


def releases_from_project_json(body: Any, url: str) -> tuple[Release, ...]:
    """Releases from a ``/pypi/NAME/json`` document."""
    name = body.get("info", {}).get("name", "") if isinstance(body, dict) else ""
    return files_from_project_json(body, canonicalize_name(str(name)), url).releases()


def releases_from_simple(body: Any, project: str, url: str) -> tuple[Release, ...]:
    """Releases from a PEP 691 JSON simple page with PEP 700 upload times."""
    return files_from_simple(body, project, url).releases()


def files_from_project_json(
    body: Any, project: str, url: str, fetched_at: datetime | None = None
) -> ProjectFiles:
    """Files from a ``/pypi/NAME/json`` document."""
    releases = body.get("releases") if isinstance(body, dict) else None
    if not isinstance(releases, dict):
        raise _unexpected(url, "no 'releases' object")
    found: list[DistFile] = []
    for version, files in releases.items():
        if not isinstance(files, list):
            raise _unexpected(url, f"releases[{version!r}] is not a list")
        found.extend(_json_file(url, version, item) for item in files)
    return ProjectFiles(project, tuple(found), "active", fetched_at, url)


def files_from_simple(
    body: Any, project: str, url: str, fetched_at: datetime | None = None
) -> ProjectFiles:
    """Files from a PEP 691 JSON simple page (PEP 700 times, PEP 792 status)."""
    files = body.get("files") if isinstance(body, dict) else None
    if not isinstance(files, list):
        raise _unexpected(url, "no 'files' list")
    found = [
        f for index, item in enumerate(files) if (f := _simple_file(url, project, index, item))
    ]
    status = body.get("project-status") or {}
    state = str(status.get("status", "active")) if isinstance(status, dict) else "active"
    return ProjectFiles(project, tuple(found), state, fetched_at, url)


def _simple_file(url: str, project: str, index: int, item: Any) -> DistFile | None:
    if not isinstance(item, dict) or not isinstance(item.get("filename"), str):
        raise _unexpected(url, f"files[{index}] has no filename")
    version = file_version(item["filename"], project)
    if version is None:
        return None  # legacy formats (.exe, .msi, .rpm): not installable by a resolver
    uploaded = parse_time(str(item.get("upload-time")), assume_utc=False)
    if uploaded is None:
        raise _unexpected(url, f"files[{index}] has no PEP 700 'upload-time'")
    rp = item.get("requires-python")
    yanked = item.get("yanked")  # PEP 592: false, true or the reason string
    return DistFile(
        item["filename"], _normal(version), uploaded, bool(yanked), str(rp) if rp else None
    )


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


def _json_file(url: str, version: str, item: Any) -> DistFile:
    if not isinstance(item, dict):
        raise _unexpected(url, f"releases[{version!r}] has a file that is not an object")
    uploaded = parse_time(str(item.get("upload_time_iso_8601")), assume_utc=False)
    if uploaded is None:
        raise _unexpected(url, f"releases[{version!r}] has a file without upload_time_iso_8601")
    rp = item.get("requires_python")
    name = str(item.get("filename") or f"{version}")
    return DistFile(name, version, uploaded, bool(item.get("yanked")), str(rp) if rp else None)


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
