"""Install time bounds set by environment variables reach the resolver through the events:
``UV_EXCLUDE_NEWER`` / ``PIP_UPLOADED_PRIOR_TO`` on the command line (``VAR=v cmd``,
``export``) and in the process environment a trail records (Tetragon, osquery)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scoper import Store
from scoper.feeds.bundled import require
from scoper.settings import Settings
from scoper.sources.audit.commands.parse import facts_from_command

BEFORE_BAD = "2026-03-24T10:00:00Z"  # before litellm 1.82.7 was uploaded (10:39)


def _tetragon(env: dict[str, str], arguments: str = "pip install litellm") -> str:
    process = {
        "exec_id": "bm9kZS0xOjE6NDI=",
        "pid": 42,
        "uid": 1000,
        "cwd": "/app",
        "binary": "/usr/local/bin/uv",
        "arguments": arguments,
        "start_time": "2026-03-24T11:00:00.000000000Z",
        "environment_variables": [{"key": k, "value": v} for k, v in env.items()],
    }
    item = {"process_exec": {"process": process}, "node_name": "node-1"}
    return json.dumps({**item, "time": "2026-03-24T11:00:00.000000000Z"}) + "\n"


def _scope(tmp_path: Path, name: str, text: str) -> Any:
    path = tmp_path / name
    path.write_text(text)
    settings = Settings(db=str(tmp_path / "s.duckdb"), now=datetime(2026, 3, 24, 9, tzinfo=UTC))
    with Store.open(settings) as store:
        assert not store.ingest([path]).failed
        query = "SELECT detail->>'exclude_newer' FROM events WHERE kind = 'install'"
        details = [row[0] for row in store.con.execute(query).fetchall()]
        adv = replace(require("litellm-2025"), published=datetime(2026, 3, 24, 9, tzinfo=UTC))
        return store.scope(adv), details


@pytest.mark.parametrize(
    ("env", "exposed"),
    [
        ({}, True),
        ({"UV_EXCLUDE_NEWER": BEFORE_BAD}, False),
        ({"PIP_UPLOADED_PRIOR_TO": BEFORE_BAD}, True),
    ],
    ids=["no-bound", "uv-bound", "pip-variable-not-read-by-uv"],
)
def test_a_process_environment_bound_reaches_the_resolver(
    tmp_path: Path, env: dict[str, str], exposed: bool
) -> None:
    result, bounds = _scope(tmp_path, "tetragon.jsonl", _tetragon(env))
    assert bounds == [env.get("UV_EXCLUDE_NEWER")]  # the event carries uv's own variable only
    found = [(e.package, e.version, e.confidence) for e in result.environments]
    assert bool(found) is exposed, found
    if exposed:
        assert found[0][:1] == ("litellm",) and found[0][2] == "likely"


def test_a_command_line_bound_is_carried_into_the_install_event() -> None:
    facts = facts_from_command(
        f"export PIP_UPLOADED_PRIOR_TO={BEFORE_BAD}; pip install litellm && "
        f"UV_EXCLUDE_NEWER=2026-03-01 uv pip install --exclude-newer 2026-03-02 telnyx"
    )
    got = [(f.program, f.package, f.exclude_newer) for f in facts if f.kind == "install"]
    assert got == [("pip", "litellm", BEFORE_BAD), ("uv", "telnyx", "2026-03-02")]  # flag wins
