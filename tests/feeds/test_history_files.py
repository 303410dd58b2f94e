"""``advisories history`` keeps every file (upload time, requires-python, status) in the
store, and the resolver at a moment runs from the store alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import responses
from typer.testing import CliRunner

from scoper.cli import app
from scoper.feeds.history_files import load_files
from scoper.scope.resolver import Moment, Outcome, resolve_at

URL = "https://pypi.org/simple/demo/"
DOC = {
    "meta": {"api-version": "1.1"},
    "name": "demo",
    "files": [
        {"filename": "demo-1.0.tar.gz", "upload-time": "2026-01-01T00:00:00Z",
         "requires-python": ">=3.8"},
        {"filename": "demo-2.0-py3-none-any.whl", "upload-time": "2026-02-01T00:00:00Z",
         "requires-python": ">=3.11"},
        {"filename": "demo-2.0.tar.gz", "upload-time": "2026-01-31T00:00:00Z",
         "requires-python": ">=3.11"},
        {"filename": "demo-3.0.tar.gz", "upload-time": "2026-03-01T00:00:00Z", "yanked": "bad"},
    ],
}  # fmt: skip


@responses.activate
def test_files_are_stored_and_the_resolver_runs_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCOPER_CACHE", str(tmp_path / "cache"))
    responses.get(URL, json=DOC)
    db = str(tmp_path / "s.duckdb")
    args = ["--now", "2026-04-01T00:00:00Z", "advisories", "history", "demo", "--db", db]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with duckdb.connect(db, read_only=True) as con:
        project = load_files(con, "demo")
        assert load_files(con, "other") is None
    assert project is not None and project.status == "active"
    assert project.fetched_at == datetime(2026, 4, 1, tzinfo=UTC)
    assert [(f.filename, f.requires_python, f.yanked) for f in project.files] == [
        ("demo-1.0.tar.gz", ">=3.8", False),
        ("demo-2.0.tar.gz", ">=3.11", False),
        ("demo-2.0-py3-none-any.whl", ">=3.11", False),
        ("demo-3.0.tar.gz", None, True),
    ]
    at = datetime(2026, 3, 15, tzinfo=UTC)
    assert resolve_at("", project, Moment(at, python="3.12")).version == "2.0"
    old = resolve_at("", project, Moment(at, python="3.9"))  # 2.0's files need 3.11
    assert (old.version, old.outcome) == ("1.0", Outcome.CHOSEN)
    # the sdist of 2.0 was up a day before its wheel: per-file upload time
    early = resolve_at("", project, Moment(datetime(2026, 1, 31, 12, tzinfo=UTC), python="3.12"))
    assert early.version == "2.0"
