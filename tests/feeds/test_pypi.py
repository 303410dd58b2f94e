"""PyPI release history through an injected session: parsing, cache, offline, errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
import requests

from scoper.errors import AdvisoryUnavailableError, ExitCode
from scoper.feeds import pypi
from scoper.feeds.httpcache import CACHE_ENV, JsonFetcher, default_cache_dir
from scoper.feeds.model import Release

DATA = Path(__file__).resolve().parent.parent / "data" / "pypi"
PROJECT_URL = "https://pypi.org/pypi/litellm/json"
SIMPLE_URL = "https://pypi.org/simple/litellm/"
T0 = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


@dataclass
class FakeResponse:
    status_code: int
    content: bytes


@dataclass
class FakeSession:
    """Stands in for requests.Session: canned answers per URL, every call recorded."""

    routes: dict[str, FakeResponse | Exception] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, str], float | None]] = field(default_factory=list)

    def get(
        self, url: str, headers: dict[str, str] | None = None, timeout: float | None = None
    ) -> Any:
        self.calls.append((url, dict(headers or {}), timeout))
        answer = self.routes.get(url, FakeResponse(404, b"Not Found"))
        if isinstance(answer, Exception):
            raise answer
        return answer

    def as_session(self) -> requests.Session:
        return cast(requests.Session, self)


def serve(url: str, path: Path) -> FakeSession:
    return FakeSession({url: FakeResponse(200, path.read_bytes())})


def fetcher(session: FakeSession, tmp_path: Path, **kwargs: Any) -> JsonFetcher:
    clock = kwargs.pop("clock", lambda: T0)
    return JsonFetcher(session.as_session(), tmp_path, clock=clock, **kwargs)


# --- parsing -----------------------------------------------------------------------------


def test_project_json_release_history(tmp_path: Path) -> None:
    session = serve(PROJECT_URL, DATA / "litellm-project.json")
    releases = pypi.release_history(
        "LiteLLM", session.as_session(), cache_dir=tmp_path, timeout=7.5
    )
    assert [r.version for r in releases] == ["0.1.7701", "1.82.5", "1.82.6", "1.83.0"]
    by_version = {r.version: r for r in releases}
    # earliest file upload: the wheel went up 3.7 s before the sdist
    assert by_version["1.82.6"] == Release(
        "1.82.6", datetime(2026, 3, 22, 6, 35, 56, 795579, tzinfo=UTC), False
    )
    assert by_version["0.1.7701"].yanked is True
    assert by_version["1.83.0"].uploaded_at == datetime(2026, 3, 31, 5, 8, 21, 987889, tzinfo=UTC)
    ((url, headers, timeout),) = session.calls
    assert url == PROJECT_URL  # canonical name in the URL
    assert headers == {"Accept": "application/json"}
    assert timeout == 7.5


def test_simple_api_agrees_with_project_json(tmp_path: Path) -> None:
    session = serve(SIMPLE_URL, DATA / "litellm-simple.json")
    simple = pypi.release_history("litellm", session.as_session(), api="simple", cache_dir=tmp_path)
    project = pypi.releases_from_project_json(
        json.loads((DATA / "litellm-project.json").read_text()), PROJECT_URL
    )
    assert simple == project
    assert session.calls[0][1] == {"Accept": "application/vnd.pypi.simple.v1+json"}


def test_partial_yank_and_empty_release() -> None:
    def file(when: str, yanked: bool) -> dict[str, Any]:
        return {"upload_time_iso_8601": when, "yanked": yanked}

    body = {
        "releases": {
            "2.0": [file("2024-01-02T00:00:00Z", True), file("2024-01-01T00:00:00Z", False)],
            "2.1": [],  # registered, no files: not installable
        }
    }
    assert pypi.releases_from_project_json(body, "u") == (
        Release("2.0", datetime(2024, 1, 1, tzinfo=UTC), False),
    )


def test_simple_api_yank_reason_counts_and_legacy_files_are_skipped() -> None:
    body = {
        "files": [
            {
                "filename": "ctx-0.1.2-1.tar.gz",
                "upload-time": "2022-05-14T19:18:36.994Z",
                "yanked": "bad",
            },
            {
                "filename": "ctx-0.2.2-py2.py3-none-any.whl",
                "upload-time": "2022-05-21T12:41:57.066Z",
            },
            {"filename": "ctx-0.1.win32.exe", "upload-time": "2012-01-01T00:00:00Z"},
        ]
    }
    releases = pypi.releases_from_simple(body, "ctx", "u")
    assert releases == (
        Release("0.1.2.post1", datetime(2022, 5, 14, 19, 18, 36, 994000, tzinfo=UTC), True),
        Release("0.2.2", datetime(2022, 5, 21, 12, 41, 57, 66000, tzinfo=UTC), False),
    )


@pytest.mark.parametrize(
    ("filename", "project", "version"),
    [
        ("litellm-1.82.6-py3-none-any.whl", "litellm", "1.82.6"),
        ("litellm-1.82.6.tar.gz", "litellm", "1.82.6"),
        ("LiteLLM_Proxy-0.1.zip", "litellm-proxy", "0.1"),
        ("ctx-0.1.2-1.tar.gz", "ctx", "0.1.2-1"),
        ("zope.interface-5.0-py3.8.egg", "zope-interface", "5.0"),
        ("other-1.0.tar.gz", "litellm", None),
        ("litellm-1.0.msi", "litellm", None),
    ],
)
def test_file_version(filename: str, project: str, version: str | None) -> None:
    assert pypi.file_version(filename, project) == version


def test_simple_api_without_upload_time_is_unavailable() -> None:
    body = {"files": [{"filename": "ctx-0.2.tar.gz"}]}
    with pytest.raises(AdvisoryUnavailableError, match="PEP 700 'upload-time'"):
        pypi.releases_from_simple(body, "ctx", "u")


@pytest.mark.parametrize(
    "body",
    [[], {"info": {}}, {"releases": {"1.0": "x"}}, {"releases": {"1.0": [{"yanked": False}]}}],
)
def test_unexpected_project_json(body: Any) -> None:
    with pytest.raises(AdvisoryUnavailableError, match="unexpected response"):
        pypi.releases_from_project_json(body, PROJECT_URL)


# --- network failures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (FakeResponse(404, b"Not Found"), "HTTP 404"),
        (FakeResponse(200, b"<html>"), "response is not JSON"),
        (requests.Timeout("read timed out"), "request failed: read timed out"),
        (requests.ConnectionError("no route"), "request failed: no route"),
    ],
)
def test_failures_are_advisory_unavailable(tmp_path: Path, answer: Any, message: str) -> None:
    session = FakeSession({PROJECT_URL: answer})
    with pytest.raises(AdvisoryUnavailableError) as caught:
        pypi.release_history("litellm", session.as_session(), cache_dir=tmp_path)
    assert str(caught.value) == f"{PROJECT_URL}: {message}"
    assert caught.value.exit_code == ExitCode.ADVISORY_DATA
    assert not (tmp_path / "http-cc").exists()


# --- cache and offline (CacheControl, revalidation, retries: tests/feeds/test_history_http.py) ---


def test_offline_without_cache_is_unavailable(tmp_path: Path) -> None:
    session = FakeSession()
    with pytest.raises(AdvisoryUnavailableError) as caught:
        pypi.release_history("litellm", session.as_session(), offline=True, cache_dir=tmp_path)
    assert "not in the cache" in str(caught.value) and "offline" in str(caught.value)
    assert caught.value.exit_code == ExitCode.ADVISORY_DATA
    assert session.calls == []


def test_cache_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "scoper"


# --- opt-in: the real PyPI ---------------------------------------------------------------------


@pytest.mark.online
def test_real_pypi_release_history(tmp_path: Path) -> None:
    with requests.Session() as session:
        releases = pypi.release_history("litellm", session, cache_dir=tmp_path, timeout=60)
    by_version = {r.version: r for r in releases}
    assert by_version["1.82.6"].uploaded_at == datetime(2026, 3, 22, 6, 35, 56, 795579, tzinfo=UTC)
    assert "1.82.7" not in by_version and "1.82.8" not in by_version  # deleted from PyPI
