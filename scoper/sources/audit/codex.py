"""OpenAI Codex CLI rollouts: ``~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl``.

Each line is ``{"timestamp", "type", "payload"}``: ``session_meta`` (id, cwd),
``turn_context`` (cwd), ``response_item`` with ``function_call`` (``exec_command``
/ ``shell`` and their JSON ``arguments``), ``local_shell_call`` and
``function_call_output``. Record types this parser does not know are ignored. A call's
output gives the versions installs got, the identities the session printed
(:mod:`.commands.identities`) and the ``.env`` files it listed (host-level credentials).

Mid-2025 rollouts start with a bare header ``{"id", "timestamp", "instructions",
"git"}`` (no ``type``), then bare response items (``{"type": "function_call"...}``,
no ``payload``, usually untimed: they are placed at the header's time, the
session start) and ``{"record_type": "state"}`` markers (nothing in them).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scoper.model import Credential, Origin, Records, Skipped
from scoper.sources.audit.commands.dotenv_values import shown_dotenv
from scoper.sources.audit.commands.host_files import host_copies, listed_dotenv
from scoper.sources.audit.commands.identities import printed_links, unique_links
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.session_events import (
    Command,
    SessionTracker,
    command_credentials,
    command_events,
    env_credential,
    read_transcript,
    unique_credentials,
)
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import logical_name
from scoper.sources.streams import read_lines
from scoper.times import parse_time

SHELL_TOOLS = frozenset(
    {
        "exec_command",
        "shell",
        "shell_command",
        "container.exec",
        "local_shell",
        "unified_exec",
    }
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_BARE_ITEMS = frozenset(
    {"message", "reasoning", "function_call", "function_call_output", "local_shell_call"}
)
_LEGACY_HEAD = re.compile(rb'^\s*\{"id"\s*:\s*"[^"]+"\s*,\s*"timestamp"\s*:')
_HEAD = re.compile(rb'"type"\s*:\s*"(?:session_meta|turn_context|response_item|event_msg)"')


@dataclass(slots=True)
class _Call:
    call_id: str
    command: Command
    place: Place


class _Rollout:
    """The state of one rollout file being read."""

    def __init__(self, path: Path, ctx: ParseContext) -> None:
        self.ctx = ctx
        stem = logical_name(path).removesuffix(".jsonl")
        found = _UUID.search(stem)
        self.session_id = found.group(0) if found else stem
        self.cwd: str | None = None
        self.started: datetime | None = None
        self.records = Records()
        self.seen: list[tuple[int, datetime | None]] = []
        self.calls: list[_Call] = []
        self.outputs: dict[str, tuple[str, Place]] = {}
        self.credentials: list[Credential] = []

    def skip(self, line: int, reason: str) -> None:
        self.records.skipped.append(Skipped(Origin(self.ctx.display, line), reason))

    def read_line(self, line: int, record: Any) -> bool:
        """Take one record; False when it is not a rollout record at all."""
        if isinstance(record, dict) and _legacy_header(record):
            self.session_id, self.started = record["id"], parse_time(record.get("timestamp"))
            self.seen.append((line, self.started))
            return True
        if isinstance(record, dict) and record.get("record_type") == "state":
            return True  # a mid-2025 rollout's state marker: nothing in it
        if not isinstance(record, dict) or not isinstance(record.get("type"), str):
            self.skip(line, "not a rollout record (no 'type')")
            return False
        if "payload" not in record and record["type"] in _BARE_ITEMS:
            # mid-2025: bare response items, untimed: the session's start is their lower bound
            ts = parse_time(record.get("timestamp")) or self.started
            self.seen.append((line, ts))
            self._item(line, record, ts)
            return True
        payload, ts = record.get("payload"), parse_time(record.get("timestamp"))
        if not isinstance(payload, dict):
            self.skip(line, f"{record['type']} record without a payload object")
            return False
        kind = record["type"]
        if kind == "session_meta" and isinstance(payload.get("id"), str) and payload["id"]:
            self.session_id = payload["id"]
        if kind in ("session_meta", "turn_context") and isinstance(payload.get("cwd"), str):
            self.cwd = payload["cwd"]
        self.seen.append((line, ts))
        if kind == "response_item":
            self._item(line, payload, ts)
        return True

    def _item(self, line: int, item: dict[str, Any], ts: datetime | None) -> None:
        kind, call_id = item.get("type"), str(item.get("call_id") or item.get("id") or "")
        if kind in ("function_call_output", "custom_tool_call_output") and ts is not None:
            output = _output_text(item.get("output"))
            self.outputs[call_id] = (output, self._place(line, ts, None))
            return
        found = _shell_call(item) if kind in ("function_call", "local_shell_call") else None
        if found is None:
            return
        command, workdir, env = found
        if not command:
            self.skip(line, f"{item.get('name') or kind} call without a usable command")
            return
        if ts is None:
            self.skip(line, "shell call without a timestamp")
            return
        place = self._place(line, ts, workdir)
        self.calls.append(_Call(call_id, command, place))
        self.credentials += command_credentials(command, place, self.ctx.fingerprint)
        self.credentials += [
            c
            for n, v in env.items()
            if (c := env_credential(n, str(v), place, self.ctx.fingerprint))
        ]

    def _place(self, line: int, ts: datetime, workdir: str | None) -> Place:
        return Place(
            ts, Origin(self.ctx.display, line), self.session_id, self.ctx.host, workdir or self.cwd
        )

    def finish(self) -> Records:
        for call in self.calls:
            output, where = self.outputs.get(call.call_id, (None, None))
            place = Place(
                call.place.ts, call.place.origin, self.session_id, call.place.host, call.place.cwd
            )
            self.records.events += command_events(call.command, place, output, where)
            if output and where is not None:
                shown = replace(where, session_id=self.session_id, cwd=call.place.cwd)
                self.records.identity_links += printed_links(call.command, output, shown)
                text = call.command if isinstance(call.command, str) else shlex.join(call.command)
                self.credentials += listed_dotenv(text, output, shown)
                self.credentials += shown_dotenv(text, output, shown, self.ctx.fingerprint)
        sessions = SessionTracker(self.ctx.display)
        for line, ts in self.seen:
            sessions.see(
                self.session_id, line, ts, host=self.ctx.host, kind="agent", environment=self.cwd
            )
        self.records.sessions = sessions.sessions()
        found = unique_credentials(
            replace(c, session_id=self.session_id) for c in self.credentials if c.session_id
        )
        self.records.credentials = found + host_copies(self.credentials, frozenset({"dotenv"}))
        self.records.identity_links = unique_links(self.records.identity_links)
        return self.records


def _legacy_header(record: dict[str, Any]) -> bool:
    """The bare first line of a mid-2025 rollout: ``{"id", "timestamp", "instructions"...}``."""
    return (
        "type" not in record
        and isinstance(record.get("id"), str)
        and bool(record["id"])
        and "timestamp" in record
        and bool({"instructions", "git"} & record.keys())
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _shell_call(item: dict[str, Any]) -> tuple[Command | None, str | None, dict[str, Any]] | None:
    """``(command, workdir, env)`` of a shell tool call, None for any other call."""
    if item.get("type") == "local_shell_call":
        args = item.get("action")
    elif isinstance(item.get("name"), str) and item["name"] in SHELL_TOOLS:
        raw = item.get("arguments")
        try:
            args = json.loads(raw) if isinstance(raw, str) else raw
        except (ValueError, RecursionError):
            return None, None, {}
    else:
        return None
    if not isinstance(args, dict):
        return None, None, {}
    command = args.get("cmd", args.get("command"))
    if isinstance(command, list) and all(isinstance(word, str) for word in command):
        command = command or None
    elif not (isinstance(command, str) and command.strip()):
        command = None
    workdir = _text(args.get("workdir")) or _text(args.get("working_directory"))
    env = args.get("env")
    return command, workdir, env if isinstance(env, dict) else {}


def _output_text(value: Any, depth: int = 0) -> str:
    """The text of a call output: a string (maybe JSON with "output") or text items.

    Nesting past 32 levels is no output text (it would exhaust the stack).
    """
    if depth > 32:
        return ""
    if isinstance(value, list):
        return "\n".join(_output_text(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return _output_text(value.get("output", value.get("text", "")), depth + 1)
    if not isinstance(value, str):
        return ""
    if value.startswith("{"):
        try:
            return _output_text(json.loads(value), depth + 1)
        except (ValueError, RecursionError):
            return value
    return value


class CodexSource(FileSource):
    """OpenAI Codex CLI rollout files (JSON Lines)."""

    name = "codex-rollout"
    kind: SourceKind = "audit"
    obtained = (
        "`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl` on the developer's machine "
        "(`$CODEX_HOME/sessions` when set)"
    )
    summary = (
        "OpenAI Codex CLI session rollout (~/.codex/sessions/**/rollout-*.jsonl; "
        "also the mid-2025 bare-header layout)"
    )
    reads = (
        "one session per rollout (session_meta id, cwd, first/last record time); "
        "exec_command/shell calls as exec/install/import events at their time, versions "
        "recovered from the call output; credential env vars set in commands, secrets typed "
        "or printed from .env files (fingerprinted); identities the session printed"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        name = logical_name(path)
        if not name.endswith(".jsonl"):
            return False
        return (
            name.startswith("rollout-")
            or b'"session_meta"' in head
            or (_HEAD.search(head) is not None and b'"payload"' in head)
            or (_LEGACY_HEAD.match(head) is not None and b'"instructions"' in head)
        )

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_lines(path, ctx.display)
        return read_transcript(text, ctx.display, _Rollout(path, ctx), "Codex rollout")


SOURCE = CodexSource()
