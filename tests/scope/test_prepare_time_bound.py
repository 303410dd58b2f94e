"""An install's own time bound (uv --exclude-newer, pip --uploaded-prior-to) limits inference."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from scoper import api
from scoper.feeds.model import Advisory, Affected, Release, VersionFacts
from scoper.sources.audit.commands.parse import facts_from_command
from scoper.store.db import connect

T = datetime(2026, 3, 24, 10, tzinfo=UTC)
DEMO = Affected(
    "PyPI",
    "demo",
    versions=("2.0",),
    facts=(VersionFacts("2.0", live_from=T, live_until=datetime(2026, 3, 24, 16, tzinfo=UTC)),),
    releases=(Release("1.0", None), Release("2.0", T)),
)
ADVISORY = Advisory("demo-1", "t", affected=(DEMO,))


def _scope(tmp_path: Path, bound: str | None) -> list[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    event = {
        "ts": "2026-03-24T11:00:00Z",
        "session": "s1",
        "host": "h1",
        "event": "install",
        "package": "demo",
        "environment": "/venv",
    }
    log = tmp_path / "events.jsonl"
    log.write_text(json.dumps(event) + "\n")
    db = str(tmp_path / "s.duckdb")
    assert not api.ingest([log], db=db).failed
    if bound is not None:
        with connect(db) as con:
            con.execute("UPDATE events SET detail = ?", [json.dumps({"exclude_newer": bound})])
    with api.Store.open(api.Settings.from_env(db=db)) as store:
        result = store.scope(ADVISORY)
    return [f"{e.environment} {e.version}" for e in result.environments]


def test_without_a_bound_the_bad_version_is_inferred(tmp_path: Path) -> None:
    assert _scope(tmp_path, None) == ["/venv 2.0"]


def test_a_bound_before_the_upload_hides_the_bad_version(tmp_path: Path) -> None:
    assert _scope(tmp_path / "a", "2026-03-24T09:00:00Z") == []
    assert _scope(tmp_path / "b", "2026-03-24T10:30:00Z") == ["/venv 2.0"]  # uploaded before it


def test_commands_record_their_bound() -> None:
    (uv,) = [
        f
        for f in facts_from_command("uv pip install --exclude-newer 2026-03-20 demo")
        if f.kind == "install"
    ]
    (pip,) = [
        f
        for f in facts_from_command("pip install --uploaded-prior-to=2026-03-20T00:00:00Z demo")
        if f.kind == "install"
    ]
    assert (uv.package, uv.exclude_newer) == ("demo", "2026-03-20")
    assert (pip.package, pip.exclude_newer) == ("demo", "2026-03-20T00:00:00Z")
