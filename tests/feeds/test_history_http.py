"""Release history over HTTP with recorded responses: CacheControl, 304, retries, offline, npm."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import responses
from recorded_http import ClosingReader
from responses import matchers
from responses.registries import OrderedRegistry

from scoper.errors import AdvisoryUnavailableError, ExitCode
from scoper.feeds import npm, pypi
from scoper.feeds.httpcache import JsonFetcher, default_retry

RECORDED = Path(__file__).resolve().parent.parent / "data" / "feeds" / "recorded"
SIMPLE = "https://pypi.org/simple/demo/"
PROJECT = "https://pypi.org/pypi/demo/json"
T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
STALE_WITH_ETAG = {
    "ETag": '"e1"',
    "Cache-Control": "max-age=0",
    "Content-Type": "application/vnd.pypi.simple.v1+json",
    "Vary": "Accept, Accept-Encoding",  # as pypi.org answers
}


def fetcher(tmp_path: Path, *, offline: bool = False) -> JsonFetcher:
    retry = default_retry(backoff=0)
    return JsonFetcher(requests.Session(), tmp_path, offline=offline, clock=lambda: T0, retry=retry)


def body(name: str) -> ClosingReader:
    return ClosingReader((RECORDED / name).read_bytes())


@responses.activate
def test_simple_api_sends_pep691_accept_and_stamps_fetch_time(tmp_path: Path) -> None:
    responses.get(SIMPLE, body=body("demo-simple.json"), headers=STALE_WITH_ETAG)
    files = pypi.fetch_files("demo", fetcher(tmp_path))
    sent = responses.calls[0].request.headers["Accept"]
    assert sent == "application/vnd.pypi.simple.v1+json"
    assert files.fetched_at == T0 and files.status == "active"
    by_version = {r.version: r for r in files.releases()}
    assert by_version["1.4"].uploaded_at == datetime(2026, 3, 20, tzinfo=UTC)  # earliest file
    assert by_version["1.2"].yanked and not by_version["1.1"].yanked


@responses.activate(registry=OrderedRegistry)
def test_stale_entry_is_revalidated_with_if_none_match_and_304_serves_cache(
    tmp_path: Path,
) -> None:
    responses.get(SIMPLE, body=body("demo-simple.json"), headers=STALE_WITH_ETAG)
    responses.get(
        SIMPLE,
        status=304,
        headers=STALE_WITH_ETAG,
        match=[matchers.header_matcher({"If-None-Match": '"e1"'})],
    )
    f = fetcher(tmp_path)
    first = f.get(SIMPLE, pypi.SIMPLE_JSON)
    again = f.get(SIMPLE, pypi.SIMPLE_JSON)
    assert len(responses.calls) == 2
    assert responses.calls[1].request.headers["If-None-Match"] == '"e1"'
    assert again.from_cache and again.body == first.body


@responses.activate(registry=OrderedRegistry)
def test_503_is_retried_then_succeeds(tmp_path: Path) -> None:
    responses.get(SIMPLE, status=503)
    responses.get(SIMPLE, status=429, headers={"Retry-After": "0"})
    responses.get(SIMPLE, body=body("demo-simple.json"))
    files = pypi.fetch_files("demo", fetcher(tmp_path), api="simple")
    assert len(responses.calls) == 3 and len(files.files) == 9


@responses.activate
def test_persistent_5xx_falls_back_to_project_json(tmp_path: Path) -> None:
    responses.get(SIMPLE, status=500)
    responses.get(PROJECT, body=body("demo-project.json"))
    files = pypi.fetch_files("demo", fetcher(tmp_path))
    assert files.url == PROJECT
    assert [(r.version, r.yanked) for r in files.releases()] == [("1.0", False), ("1.1", True)]
    assert files.files[0].requires_python == ">=3.8"


@responses.activate
def test_offline_serves_the_cache_and_misses_out_loud(tmp_path: Path) -> None:
    responses.get(SIMPLE, body=body("demo-simple.json"), headers=STALE_WITH_ETAG)
    online = pypi.fetch_files("demo", fetcher(tmp_path))
    offline = pypi.fetch_files("demo", fetcher(tmp_path, offline=True))
    assert offline.files == online.files and len(responses.calls) == 1
    with pytest.raises(AdvisoryUnavailableError) as caught:
        pypi.fetch_files("other", fetcher(tmp_path, offline=True))
    assert str(caught.value).startswith("release history unavailable offline for other")
    assert caught.value.exit_code == ExitCode.ADVISORY_DATA
    assert len(responses.calls) == 1  # offline: no request at all


@responses.activate
def test_quarantined_project_has_nothing_installable(tmp_path: Path) -> None:
    url = "https://pypi.org/simple/badpkg/"
    responses.get(url, body=body("badpkg-simple-quarantined.json"))
    files = pypi.fetch_files("badpkg", fetcher(tmp_path))
    assert files.status == "quarantined" and not files.installable
    (release,) = files.releases()
    assert release.removed_at == T0  # removed no later than we saw the quarantine


@responses.activate
def test_npm_time_map_from_the_full_document(tmp_path: Path) -> None:
    url = "https://registry.npmjs.org/left-pad-x"
    responses.get(url, body=body("left-pad-x-npm.json"))
    releases = npm.fetch_npm_releases("left-pad-x", fetcher(tmp_path))
    assert responses.calls[0].request.headers["Accept"] == "application/json"
    by_version = {r.version: r for r in releases}
    assert set(by_version) == {"1.0.0", "1.0.1", "1.1.0"}
    assert by_version["1.0.1"].removed_at == datetime(2026, 3, 5, tzinfo=UTC)  # unpublished
    assert by_version["1.1.0"].removed_at is None


def test_npm_whole_package_unpublished_and_untrusted_documents() -> None:
    doc = json.loads((RECORDED / "gone-x-npm.json").read_bytes())
    gone = npm.releases_from_document(doc, "https://registry.npmjs.org/gone-x")
    assert [(r.version, r.removed_at) for r in gone] == [
        ("1.0.0", datetime(2026, 3, 2, tzinfo=UTC))
    ]
    with pytest.raises(AdvisoryUnavailableError, match="no 'created' entry"):
        npm.releases_from_document({"time": {"1.0.0": "2025-01-01T00:00:00Z"}}, "u")
    assert npm.package_url("@scope/pkg") == "https://registry.npmjs.org/@scope%2Fpkg"
