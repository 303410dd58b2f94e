"""Exposure intervals end when the environment goes: a removed or recreated venv, a
reimaged host, each read from real-shaped audit trails (auditd, scoper-events)."""

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

T0 = 1774348860  # 2026-03-24T10:41:00Z


def _exec(serial: int, at: int, argv: list[str], cwd: str, ses: int = 12) -> str:
    """One execve as auditd logs it: SYSCALL, EXECVE, CWD."""
    stamp = f"msg=audit({T0 + at}.250:{serial})"
    args = " ".join(f'a{n}="{a}"' for n, a in enumerate(argv))
    return (
        f"node=ci-runner-7 type=SYSCALL {stamp}: arch=c000003e syscall=59 success=yes exit=0 "
        f"items=2 ppid=4200 pid={4300 + serial} auid=1000 uid=1000 gid=1000 euid=1000 "
        f'tty=pts0 ses={ses} comm="{argv[0].rsplit("/", 1)[-1]}" exe="/usr/bin/{argv[0]}" '
        f"key=(null)\nnode=ci-runner-7 type=EXECVE {stamp}: argc={len(argv)} {args}\n"
        f'node=ci-runner-7 type=CWD {stamp}: cwd="{cwd}"\n'
    )


def _scope(tmp_path: Path, log: str, name: str = "audit.log") -> Any:
    path = tmp_path / name
    path.write_text(log)
    settings = Settings(db=str(tmp_path / "s.duckdb"), now=datetime(2026, 3, 24, 9, tzinfo=UTC))
    with Store.open(settings) as store:
        assert not store.ingest([path]).failed
        adv = replace(require("litellm-2025"), published=datetime(2026, 3, 24, 9, tzinfo=UTC))
        return store.scope(adv)


INSTALL = _exec(1, 0, ["/opt/app/.venv/bin/pip", "install", "litellm==1.82.8"], "/opt/app")
BEFORE = _exec(2, 60, ["/opt/app/.venv/bin/python", "serve.py"], "/opt/app", ses=13)
AFTER = _exec(9, 600, ["/opt/app/.venv/bin/python", "serve.py"], "/opt/app", ses=14)


@pytest.mark.parametrize(
    ("argv", "cwd", "fact"),
    [
        (["rm", "-rf", ".venv"], "/opt/app", "environment /opt/app/.venv removed (rm -rf .venv)"),
        (
            ["rm", "-r", "-f", "/opt/app"],
            "/tmp",
            "environment /opt/app removed (rm -r -f /opt/app)",
        ),
        (["uv", "venv", "--clear"], "/opt/app", "environment /opt/app/.venv recreated"),
        (
            ["python3", "-m", "venv", "--clear", "/opt/app/.venv"],
            "/",
            "environment /opt/app/.venv recreated (python3 -m venv --clear /opt/app/.venv)",
        ),
    ],
)
def test_a_removed_or_recreated_venv_ends_the_interval(
    tmp_path: Path, argv: list[str], cwd: str, fact: str
) -> None:
    result = _scope(tmp_path, INSTALL + BEFORE + _exec(5, 300, argv, cwd) + AFTER)
    [venv] = [e for e in result.environments if e.environment == "/opt/app/.venv"]
    assert venv.until is not None and venv.until.isoformat() == "2026-03-24T10:46:00.250000"
    assert venv.ended_by is not None and venv.ended_by.fact.startswith(fact)
    assert venv.ended_by.fact.endswith("at 2026-03-24 10:46:00 UTC")
    assert venv.ended_by.line == 7  # the EXECVE record of the ending command
    sessions = {s.session_id for s in result.sessions}
    assert any(s.endswith("13") for s in sessions)  # python started inside the interval
    assert not any(s.endswith("14") for s in sessions)  # after the end: cleared
    assert any(
        c.subject.endswith("14") and "was gone there" in c.evidence.fact for c in result.cleared
    )


def test_unrelated_removals_and_a_plain_venv_do_not_end_it(tmp_path: Path) -> None:
    noise = (
        _exec(5, 300, ["rm", "-rf", "/opt/app/.venv-old"], "/")  # a sibling, not a parent
        + _exec(6, 310, ["rm", "-f", "/opt/app/.venv"], "/")  # not recursive: no folder gone
        + _exec(7, 320, ["python3", "-m", "venv", "/opt/app/.venv"], "/")  # keeps packages
    )
    result = _scope(tmp_path, INSTALL + BEFORE + noise + AFTER)
    [venv] = [e for e in result.environments if e.environment == "/opt/app/.venv"]
    assert venv.until is None and venv.ended_by is None
    assert any(s.session_id.endswith("14") for s in result.sessions)


def test_command_parsing_names_the_folder_and_how() -> None:
    got = [
        (f.environment, f.ends)
        for f in facts_from_command(
            "rm -Rf build/.venv/ && virtualenv --clear env && uv venv && uv venv --clear /w/v"
        )
        if f.kind == "env_end"
    ]
    assert got == [("build/.venv", "removed"), ("env", "recreated"), ("/w/v", "recreated")]


def _ev(ts: str, event: str, **fields: Any) -> str:
    return json.dumps({"ts": f"2026-03-24T{ts}Z", "event": event, **fields}) + "\n"


def test_a_reimaged_host_and_a_rebuilt_environment_end_their_intervals(tmp_path: Path) -> None:
    a, b = {"host": "build-1", "environment": "/srv/a/.venv"}, {"host": "build-2"}
    lines = [
        _ev("11:00:00", "session_start", session="s1", **a),
        _ev("11:01:00", "install", session="s1", package="litellm", version="1.82.8", **a),
        _ev("11:02:00", "session_start", session="s2", host="build-2", environment="/w/.venv"),
        _ev("11:03:00", "install", session="s2", package="litellm", version="1.82.8"),
        _ev("12:00:00", "env_end", action="rebuilt", **a),
        _ev("12:30:00", "env_end", action="reimaged", **b),
        _ev("13:00:00", "session_start", session="s3", host="build-2", environment="/w/.venv"),
        _ev("13:00:01", "exec", session="s3", program="python3"),
    ]
    result = _scope(tmp_path, "".join(lines), "events.jsonl")
    ends = {e.host: (e.until, e.ended_by) for e in result.environments}
    until, by = ends["build-1"]
    assert until is not None and until.isoformat() == "2026-03-24T12:00:00"
    assert by is not None and (by.line, by.fact) == (
        5,
        "environment /srv/a/.venv rebuilt at 2026-03-24 12:00:00 UTC",
    )
    until, by = ends["build-2"]
    assert by is not None and by.fact == "host build-2 reimaged at 2026-03-24 12:30:00 UTC"
    assert "s3" not in {s.session_id for s in result.sessions}  # after the reimage


def test_env_end_lines_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(
        _ev("11:00:00", "session_start", session="s1", host="h")
        + _ev("12:00:00", "env_end", environment="/x")
        + _ev("12:00:01", "env_end", host="h", action="exploded")
    )
    settings = Settings(db=str(tmp_path / "s.duckdb"))
    with Store.open(settings) as store:
        [result] = store.ingest([path]).results
    assert result.status == "partial"
    assert [r.removeprefix(f"{path}: ") for r in result.skipped_reasons] == [
        'line 2: missing "host"',
        "line 3: unknown env_end action exploded",
    ]
