"""``scoper advisories sync`` and ``history`` over recorded responses: stored, stamped, offline."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import responses
from recorded_http import ClosingReader
from typer.testing import CliRunner

from scoper.cli import app

TELNYX = "https://pypi.org/simple/telnyx/"
SIMPLE_DOC = {
    "meta": {"api-version": "1.1"},
    "name": "telnyx",
    "files": [
        {"filename": "telnyx-4.87.0-py3-none-any.whl", "upload-time": "2026-03-01T00:00:00Z"},
        {"filename": "telnyx-4.87.1.tar.gz", "upload-time": "2026-03-27T03:51:00Z"},
    ],
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SCOPER_CACHE", str(tmp_path / "cache"))
    return tmp_path / "s.duckdb"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--now", "2026-04-01T00:00:00Z", *args])
    return result.exit_code, result.output


@responses.activate
def test_sync_stores_history_for_an_advisorys_packages(env: Path) -> None:
    responses.get(TELNYX, json=SIMPLE_DOC)
    code, out = run("advisories", "sync", "--advisory", "telnyx-2026", "--db", str(env))
    assert code == 0, out
    assert "PyPI/telnyx: 2 releases, fetched 2026-04-01T00:00:00Z" in out
    with duckdb.connect(str(env), read_only=True) as con:
        rows = con.execute("SELECT version, origin FROM releases ORDER BY version").fetchall()
    assert rows == [("4.87.0", "pypi"), ("4.87.1", "pypi")]


def test_sync_skips_ecosystems_without_registry_history_out_loud(env: Path) -> None:
    code, out = run("advisories", "sync", "--advisory", "trivy-2026", "--db", str(env))
    assert code == 0, out
    assert "Go/github.com/aquasecurity/trivy: no registry history for this ecosystem" in out


def test_offline_miss_exits_4_and_names_the_package(env: Path) -> None:
    code, out = run("advisories", "history", "telnyx", "--offline", "--db", str(env))
    assert code == 4
    assert "release history unavailable offline for telnyx" in " ".join(out.split())


@responses.activate
def test_history_then_offline_history_from_the_cache(env: Path) -> None:
    responses.get(
        TELNYX, body=ClosingReader(json.dumps(SIMPLE_DOC).encode()), headers={"ETag": '"x"'}
    )
    assert run("advisories", "history", "telnyx", "--db", str(env))[0] == 0
    responses.reset()
    code, out = run("advisories", "history", "telnyx", "--offline", "--db", str(env))
    assert code == 0 and "stored 2 releases of telnyx" in out
