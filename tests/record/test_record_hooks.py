"""Claude Code hooks: installed into a settings file, fed recorded payloads, scoped; removed
byte for byte."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from scoper.cli import app
from scoper.record.claude_settings import EVENTS
from scoper.record.hooks import claude_events
from scoper.record.verify import verify_paths

DATA = Path(__file__).resolve().parent.parent / "data" / "record"
PAYLOADS = DATA / "claude-code-hooks.jsonl"
KEY_VALUE = "sk-proj-" + "Q1w2E3r4T5" * 4
ORIGINAL = (
    '{\n    "model": "opus",\n    "hooks": {\n        "PreToolUse": [\n            {"matcher": '
    '"Write", "hooks": [{"type": "command", "command": "echo mine"}]}\n        ]\n    }\n}'
)  # the user's own formatting and hook, no final newline


def _commands(settings: dict[str, object], payload: dict[str, object]) -> list[str]:
    """The hook commands Claude Code would run for ``payload`` (matchers are regexes)."""
    groups = settings["hooks"][payload["hook_event_name"]]  # type: ignore[index]
    found = []
    for group in groups:
        matcher = group.get("matcher") or ""
        if matcher and not re.fullmatch(matcher, str(payload.get("tool_name", ""))):
            continue
        found += [h["command"] for h in group["hooks"] if h["type"] == "command"]
    return found


def test_install_feed_scope_uninstall(tmp_path: Path) -> None:
    settings_file = tmp_path / ".claude" / "settings.json"
    settings_file.parent.mkdir()
    settings_file.write_text(ORIGINAL, encoding="utf-8")
    trail = tmp_path / "trail"
    runner = CliRunner()
    args = ["--settings", str(settings_file)]
    done = runner.invoke(app, ["hooks", "install", "claude-code", *args, "--trail", f"{trail}/"])
    assert done.exit_code == 0, done.output
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    assert sorted(settings["hooks"]) == sorted(EVENTS)
    assert settings["hooks"]["PreToolUse"][0]["hooks"][0]["command"] == "echo mine"
    again = runner.invoke(app, ["hooks", "install", "claude-code", *args])
    assert "already installed" in again.output

    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "OPENAI_API_KEY": KEY_VALUE}
    ran = 0
    for line in PAYLOADS.read_text(encoding="utf-8").splitlines():
        payload = json.loads(line)
        for command in _commands(settings, payload):
            if "scoper" not in command:
                continue
            proc = subprocess.run(command, shell=True, input=line, text=True, env=env, check=False)
            assert proc.returncode == 0
            ran += 1
    assert ran == 6  # both Write-only hooks skipped, every scoper hook ran once

    (path,) = sorted(trail.glob("trail-*.jsonl"))
    text = path.read_text(encoding="utf-8")
    assert KEY_VALUE not in text
    events = [json.loads(x) for x in text.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[:2] == ["trail", "session_start"] and kinds[-1] == "session_end"
    assert {"event": "install", "package": "litellm", "version": "1.82.8"}.items() <= next(
        e for e in events if e["event"] == "install"
    ).items()
    cred = next(e for e in events if e["event"] == "credential" and e["name"] == "OPENAI_API_KEY")
    assert cred["fingerprint"].startswith("fp:") and cred["kind"] == "openai-api-key"
    assert all(v.intact for v in verify_paths([trail], None))

    db = str(tmp_path / "s.duckdb")
    assert runner.invoke(app, ["ingest", str(trail), "--db", db]).exit_code == 0
    scoped = runner.invoke(app, ["scope", "-a", "litellm-2025", "--db", db, "-f", "json"])
    assert scoped.exit_code == 1, scoped.output
    result = json.loads(scoped.stdout)
    session = "claude-5f0c2a9e-7d41-4c1b-9a3e-2b8f6d1c0e77"
    assert [(s["session_id"], s["confidence"]) for s in result["sessions"]] == [
        (session, "confirmed")
    ]
    assert "OPENAI_API_KEY" in {c["name"] for c in result["credentials"]}

    gone = runner.invoke(app, ["hooks", "uninstall", "claude-code", *args])
    assert gone.exit_code == 0 and "restored" in gone.output
    assert settings_file.read_text(encoding="utf-8") == ORIGINAL  # byte for byte
    assert not (tmp_path / ".claude" / "settings.json.scoper-backup").exists()


def test_uninstall_removes_a_missing_file_it_created(tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.json"
    runner = CliRunner()
    args = ["--settings", str(settings_file)]
    assert runner.invoke(app, ["hooks", "install", "claude-code", *args]).exit_code == 0
    assert settings_file.exists()
    assert runner.invoke(app, ["hooks", "uninstall", "claude-code", *args]).exit_code == 0
    assert not settings_file.exists()


def test_uninstall_after_the_user_changed_the_file_keeps_their_change(tmp_path: Path) -> None:
    settings_file = tmp_path / "settings.json"
    settings_file.write_text('{"model": "opus"}\n', encoding="utf-8")
    runner = CliRunner()
    args = ["--settings", str(settings_file)]
    runner.invoke(app, ["hooks", "install", "claude-code", *args])
    data = json.loads(settings_file.read_text(encoding="utf-8"))
    data["theme"] = "dark"
    settings_file.write_text(json.dumps(data), encoding="utf-8")
    gone = runner.invoke(app, ["hooks", "uninstall", "claude-code", *args])
    assert "changed since install" in gone.output
    assert json.loads(settings_file.read_text(encoding="utf-8")) == {
        "model": "opus",
        "theme": "dark",
    }


def test_other_tools_and_events_give_nothing() -> None:
    base = {"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": "Write"}
    assert claude_events({**base, "tool_input": {"file_path": "/x"}}, {}, b"k") == []
    assert claude_events({**base, "hook_event_name": "Stop"}, {}, b"k") == []
