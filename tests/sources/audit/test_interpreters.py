"""A Python start is any interpreter start, however spelled: python_start and its producers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from scoper.model import Event, Origin
from scoper.sources.audit import auditd, claude_code, codex, osquery, tetragon
from scoper.sources.audit.commands.exec_events import exec_events
from scoper.sources.audit.commands.interpreters import python_program, python_start
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.session_events import command_events
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data"
WHERE = Place(datetime(2026, 3, 24, 11, tzinfo=UTC), Origin("x.log", 1), "s", "h")

STARTS = [
    ["python"],
    ["python3.12", "app.py"],
    ["/usr/bin/python3"],
    ["/opt/app/.venv/bin/python"],
    ["pypy3", "-c", "pass"],
    ["python", "-m", "pytest"],
    ["uv", "run", "pytest", "-q"],
    ["uv", "run", "train.py"],
    ["uv", "--directory", "/srv/app", "run", "--with", "rich", "--python", "3.12", "serve"],
    ["uv", "run", "-m", "http.server"],
    ["uv", "tool", "run", "ruff"],
    ["uvx", "pycowsay"],
    ["poetry", "run", "pytest"],
    ["pdm", "run", "start"],
    ["hatch", "run", "test"],
    ["pipx", "run", "cowsay"],
    ["pip", "install", "x"],
    ["gunicorn", "app:app"],
    ["uvicorn", "main:app"],
    ["celery", "-A", "tasks", "worker"],
    ["flask", "run"],
    ["django-admin", "migrate"],
    ["jupyter", "lab"],
    ["litellm", "--port", "4000"],
    ["/srv/app/.venv/bin/mytool", "--x"],
    ["venv/bin/serve"],
    ["/home/ci/env/bin/job"],
    ["/opt/svc/venv/bin/worker"],
    ["/opt/conda/envs/ml/bin/train"],
    ["/home/a/.local/share/pipx/venvs/black/bin/black"],
    ["/app/vendor/lib/python3.12/site-packages/bin/tool"],
    ["C:\\proj\\.venv\\Scripts\\tool.exe"],
    ["sudo", "-u", "app", "python3", "x.py"],
    ["env", "PYTHONPATH=.", "pytest"],
    ["timeout", "30", "python", "x.py"],
    ["DEBUG=1", "flask", "run"],
]
NOT_STARTS = [
    ["ls", "-la"],
    ["/usr/bin/curl", "https://x"],
    ["uv", "sync"],
    ["uv", "pip", "install", "x"],
    ["uv", "run", "node", "app.js"],
    ["uv", "run", "bash", "-c", "make"],
    ["uv", "run"],
    ["/srv/app/.venv/bin/ruff", "check"],
    ["/usr/local/bin/mytool"],
    ["node", "x.js"],
    ["sudo", "ls"],
    [],
]


@pytest.mark.parametrize("argv", STARTS, ids=" ".join)
def test_python_starts(argv: list[str]) -> None:
    assert python_start(argv) is True


@pytest.mark.parametrize("argv", NOT_STARTS, ids=" ".join)
def test_not_python_starts(argv: list[str]) -> None:
    assert python_start(argv) is False


def test_the_executable_tells_a_script_with_a_python_shebang() -> None:
    assert python_start(["/usr/local/bin/backup-tool"], "/usr/bin/python3.11") is True
    assert python_start(["./deploy"], "/opt/app/.venv/bin/python3.12") is True
    assert python_start(["/usr/local/bin/backup-tool"], "/usr/bin/bash") is False
    assert python_program("python3.12") and python_program("pytest")
    assert not python_program("curl")


def _execs(events: list[Event]) -> list[tuple[int | None, str | None, str | None]]:
    return [(e.origin.line, e.program, e.interpreter) for e in events if e.kind == "exec"]


def test_exec_events_mark_python_starts_and_the_ones_sh_c_runs() -> None:
    events = exec_events(["/bin/sh", "-c", "python3 -m pip --version"], WHERE, {})
    assert [(e.program, e.interpreter) for e in events if e.kind == "exec"] == [
        ("sh", None),
        ("python", "python"),
    ]
    [script] = exec_events(["/usr/local/bin/litellm-proxy"], WHERE, {}, "/usr/bin/python3")
    assert (script.program, script.interpreter) == ("litellm-proxy", "python")


def test_transcript_commands_mark_python_starts() -> None:
    events = command_events("uv run pytest -q && node x.js && .venv/bin/celery -A t worker", WHERE)
    assert [(e.program, e.interpreter) for e in events if e.kind == "exec"] == [
        ("uv", "python"),
        ("pytest", "python"),
        ("node", None),
        ("celery", "python"),
    ]


def test_every_exec_producer_sets_interpreter() -> None:
    log = auditd.SOURCE.parse(DATA / "auditd" / "audit.log", ParseContext("audit.log"))
    assert _execs(log.events)[:3] == [
        (2, "pip", "python"),
        (9, "python", "python"),
        (13, "python", "python"),
    ]
    assert (41, "curl", None) in _execs(log.events)
    assert (49, "uv", None) in _execs(log.events)  # uv pip install: uv itself is no Python
    results = DATA / "osquery" / "osqueryd.results.log"
    assert _execs(osquery.SOURCE.parse(results, ParseContext("r.log")).events) == [
        (8, "python", "python"),
        (9, "python", "python"),
        (10, "uv", None),
    ]
    export = DATA / "tetragon" / "export.jsonl"
    assert _execs(tetragon.SOURCE.parse(export, ParseContext("e.jsonl")).events) == [
        (1, "pip", "python"),
        (2, "python", "python"),
        (7, "python", "python"),
        (8, "bash", None),
    ]
    rollout = next((DATA / "codex").glob("rollout-*.jsonl"))
    assert (6, "litellm", "python") in _execs(codex.SOURCE.parse(rollout, ParseContext("r")).events)
    transcript = DATA / "claude_code" / "printed-identities.jsonl"
    parsed = claude_code.SOURCE.parse(transcript, ParseContext("t.jsonl"))
    assert [(p, i) for _, p, i in _execs(parsed.events) if p in ("uv", "pytest", "ls")] == [
        ("ls", None),
        ("uv", "python"),
        ("pytest", "python"),
    ]
