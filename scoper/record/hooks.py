"""Agent hook payloads -> trail events (``scoper record hook AGENT``).

Claude Code runs each hook command with one JSON object on stdin
(https://code.claude.com/docs/en/hooks): every event carries ``session_id``,
``transcript_path``, ``cwd``, ``hook_event_name``; ``SessionStart`` adds ``source``
(startup, resume, clear, compact), ``SessionEnd`` a ``reason``, ``PreToolUse`` ``tool_name``,
``tool_input`` (Bash: ``command``, ``description``, ``timeout``) and ``tool_use_id``, and
``PostToolUse`` also ``tool_response`` (Bash: ``stdout``, ``stderr``, ``interrupted``). The
hook process inherits the agent's environment, so its variable names are the session's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

from scoper.record.events import env_credentials, env_names, now_ts
from scoper.record.recorder import Recorder
from scoper.record.trail import warn
from scoper.sources.audit.commands.exec_events import split_command
from scoper.sources.audit.commands.installer_lines import installs_in_line
from scoper.sources.audit.commands.interpreters import python_start

SESSION_PREFIX = "claude-"
Payload = Mapping[str, Any]
Events = list[dict[str, Any]]


class Agent(Enum):
    """The agents whose hooks ``scoper record hook`` reads."""

    CLAUDE_CODE = "claude-code"


def record_hook(agent: str, payload: str, rec: Recorder) -> None:
    """Record one hook call of ``agent``; an unknown agent or payload is said, never raised."""
    if agent not in {a.value for a in Agent}:
        warn(f"hook {agent}: unknown agent (known: {', '.join(a.value for a in Agent)})")
        return
    try:
        data = json.loads(payload)
    except ValueError:
        warn(f"hook {agent}: the payload is not JSON, not recorded")
        return
    if not isinstance(data, dict) or not isinstance(data.get("session_id"), str):
        warn(f"hook {agent}: no session_id in the payload, not recorded")
        return
    events = claude_events(data, os.environ, rec.key)
    if events:
        rec.emit(events)


def claude_events(data: Payload, env: Mapping[str, str], key: bytes) -> Events:
    """The events one Claude Code hook payload gives."""
    handler = _HANDLERS.get(str(data.get("hook_event_name")))
    if handler is None:
        return []
    session = SESSION_PREFIX + str(data["session_id"])
    return [{"session": session, **event} for event in handler(data, env, key, session)]


def _start(data: Payload, env: Mapping[str, str], key: bytes, session: str) -> Events:
    ts = now_ts()
    start: dict[str, Any] = {"ts": ts, "event": "session_start", "kind": "agent"}
    if env.get("USER"):
        start["actor"] = env["USER"]
    if env.get("VIRTUAL_ENV"):
        start["environment"] = env["VIRTUAL_ENV"]
    detail = {"agent": Agent.CLAUDE_CODE.value, "source": data.get("source"), "env": env_names(env)}
    detail |= {"cwd": data.get("cwd"), "transcript_path": data.get("transcript_path")}
    agent = {"ts": ts, "event": "exec", "program": "claude", "detail": _present(detail)}
    return [start, *env_credentials(env, session, key, ts), agent]


def _end(data: Payload, env: Mapping[str, str], key: bytes, session: str) -> Events:
    del env, key, session
    return [{"ts": now_ts(), "event": "session_end"}] if data else []


def _pre_tool(data: Payload, env: Mapping[str, str], key: bytes, session: str) -> Events:
    del env, key, session
    command = _bash_command(data)
    if command is None:
        return []
    argv = split_command(command)
    event: dict[str, Any] = {"ts": now_ts(), "event": "exec", "command": command}
    if argv:
        event["program"] = Path(argv[0]).name
    if python_start(argv):
        event["interpreter"] = "python"
    event["detail"] = _present({"tool_use_id": data.get("tool_use_id"), "cwd": data.get("cwd")})
    return [event]


def _post_tool(data: Payload, env: Mapping[str, str], key: bytes, session: str) -> Events:
    del env, key, session
    if _bash_command(data) is None:
        return []
    ts, events, seen = now_ts(), [], set()
    for line in _output(data.get("tool_response")).splitlines():
        for found in installs_in_line(line):
            if found.version is None or (found.action, found.name, found.version) in seen:
                continue
            seen.add((found.action, found.name, found.version))
            event = {"ts": ts, "event": found.action, "package": found.name}
            event |= {"version": found.version, "installer": found.installer}
            detail = {"seen_by": "installer output", "tool_use_id": data.get("tool_use_id")}
            events.append({**event, "detail": _present(detail)})
    return events


def _bash_command(data: Payload) -> str | None:
    tool_input = data.get("tool_input")
    if data.get("tool_name") != "Bash" or not isinstance(tool_input, dict):
        return None
    command = tool_input.get("command")
    return command if isinstance(command, str) and command.strip() else None


def _output(response: object) -> str:
    """The text of a Bash tool response: ``stdout`` and ``stderr``, or a plain string."""
    if isinstance(response, str):
        return response
    if isinstance(response, dict):
        parts = [response.get(k) for k in ("stdout", "stderr", "output")]
        return "\n".join(p for p in parts if isinstance(p, str))
    return ""


def _present(detail: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in detail.items() if v not in (None, "", [])}


_HANDLERS: dict[str, Callable[[Payload, Mapping[str, str], bytes, str], Events]] = {
    "SessionStart": _start,
    "SessionEnd": _end,
    "PreToolUse": _pre_tool,
    "PostToolUse": _post_tool,
}
