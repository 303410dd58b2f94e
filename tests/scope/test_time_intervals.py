"""Exposure intervals end: an uninstall or upgrade, or the end of a container's session."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoper import Store
from scoper.feeds.bundled import require
from scoper.settings import Settings


def _ev(ts: str, session: str, event: str, **fields: Any) -> dict[str, Any]:
    return {"ts": f"2026-03-24T{ts}Z", "session": session, "event": event, **fields}


VENV = {"host": "h1", "environment": "/srv/.venv"}
EVENTS = [
    _ev("11:00:00", "s1", "session_start", **VENV),
    _ev("11:01:00", "s1", "install", package="litellm", version="1.82.8", **VENV),
    _ev("11:05:00", "s2", "session_start", **VENV),
    _ev("11:05:01", "s2", "exec", program="python3", **VENV),  # exposed: inside the interval
    _ev("11:20:00", "s1", "install", package="litellm", version="1.82.6", **VENV),  # the end
    _ev("11:30:00", "s3", "session_start", **VENV),
    _ev("11:30:01", "s3", "exec", program="python3", **VENV),  # cleared: after the end
    # a container: its environment ends with its session
    _ev("11:00:00", "pod1", "session_start", host="node1", kind="pod", image_digest="sha256:ab"),
    _ev("11:02:00", "pod1", "install", host="node1", package="litellm", version="1.82.8"),
    _ev("11:40:00", "pod1", "session_end", host="node1"),
]


def _scope(tmp_path: Path, as_of: datetime | None = None) -> Any:
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    ingested = datetime(2026, 3, 24, 10, 0, tzinfo=UTC)
    with Store.open(Settings(db=str(tmp_path / "s.duckdb"), now=ingested)) as store:
        assert not store.ingest([log]).failed
        adv = replace(require("litellm-2025"), published=ingested)
        return store.scope(adv, as_of=as_of)


def test_an_upgrade_ends_the_interval_and_clears_later_starts(tmp_path: Path) -> None:
    result = _scope(tmp_path)
    venv = next(e for e in result.environments if e.environment == "/srv/.venv")
    assert venv.until is not None and venv.until.isoformat() == "2026-03-24T11:20:00"
    assert venv.ended_by is not None and venv.ended_by.line == 5
    assert venv.ended_by.fact == "replaced by litellm 1.82.6 at 2026-03-24 11:20:00 UTC"
    sessions = {s.session_id for s in result.sessions}
    assert "s2" in sessions and "s3" not in sessions
    (cleared,) = [c for c in result.cleared if c.subject == "s3"]
    assert "after litellm 1.82.8 was gone there (replaced by litellm 1.82.6" in (
        cleared.evidence.fact
    )


def test_a_container_environment_ends_with_its_session(tmp_path: Path) -> None:
    result = _scope(tmp_path)
    pod = next(e for e in result.environments if e.host == "node1")
    assert pod.until is not None and pod.until.isoformat() == "2026-03-24T11:40:00"
    assert pod.ended_by is not None
    assert "session pod1 ended at 2026-03-24 11:40:00 UTC" in pod.ended_by.fact
    assert "pod" in pod.ended_by.fact


def test_as_of_before_the_end_the_interval_is_still_open(tmp_path: Path) -> None:
    result = _scope(tmp_path, as_of=datetime(2026, 3, 24, 11, 10, tzinfo=UTC))
    pod = next(e for e in result.environments if e.host == "node1")
    venv = next(e for e in result.environments if e.environment == "/srv/.venv")
    assert pod.until is None and pod.ended_by is None  # the session end was not yet known
    assert venv.until is None and venv.ended_by is None  # nor the upgrade
