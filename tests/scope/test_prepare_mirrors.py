"""Unpinned installs through a mirror/proxy index carry a warning that its lag is unknown."""

from __future__ import annotations

import json
from pathlib import Path

from scoper import api
from scoper.feeds.model import Advisory, Affected, Release
from scoper.scope.prepare import prepare
from scoper.sources.audit.commands.parse import facts_from_command
from scoper.store.db import connect

ADVISORY = Advisory(
    "demo-1", "t", affected=(Affected("PyPI", "demo", ("2.0",), releases=(Release("2.0", None),)),)
)


def _store(tmp_path: Path, index_urls: list[str] | None, version: str | None = None) -> str:
    event = {
        "ts": "2026-03-24T10:00:00Z",
        "session": "s1",
        "host": "h1",
        "event": "install",
        "package": "demo",
        "spec": ">=1",
    }
    if version:
        event["version"] = version
    tmp_path.mkdir(parents=True, exist_ok=True)
    log = tmp_path / "events.jsonl"
    log.write_text(json.dumps(event) + "\n")
    db = str(tmp_path / "s.duckdb")
    assert not api.ingest([log], db=db).failed
    if index_urls is not None:
        with connect(db) as con:
            con.execute("UPDATE events SET detail = ?", [json.dumps({"index_urls": index_urls})])
    return db


def _warnings(db: str) -> list[str]:
    with connect(db) as con:
        return [w for w in prepare(con, ADVISORY) if "mirror" in w]


def test_artifactory_index_warns(tmp_path: Path) -> None:
    db = _store(tmp_path, ["https://art.corp/api/pypi/pypi/simple", "https://pypi.org/simple"])
    assert _warnings(db) == [
        "PyPI/demo installed without a recorded version through a mirror or proxy index "
        "(art.corp): its lag behind PyPI is unknown, so the inferred version may differ "
        "from PyPI's at that time"
    ]


def test_pypi_itself_and_pinned_installs_do_not_warn(tmp_path: Path) -> None:
    assert _warnings(_store(tmp_path / "a", ["https://pypi.org/simple"])) == []
    assert _warnings(_store(tmp_path / "b", ["https://art.corp/simple"], version="2.0")) == []
    assert _warnings(_store(tmp_path / "c", None)) == []


def test_uploaded_prior_to_takes_a_value_not_a_package() -> None:
    facts = facts_from_command("pip install --uploaded-prior-to 2026-03-15T00:00:00Z demo")
    assert [(f.kind, f.package) for f in facts if f.kind == "install"] == [("install", "demo")]
