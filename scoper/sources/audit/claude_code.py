"""Claude Code session transcripts: ``~/.claude/projects/<encoded-cwd>/<sessionId>.jsonl``.

One JSON object per line (``type`` user/assistant/summary/system/...). Assistant
messages carry ``tool_use`` items (``Bash`` with ``input.command``); the user
message after it carries the matching ``tool_result``. Commands become events at
the message time; the output recovers the versions an unpinned install got and,
for ``aws sts get-caller-identity``, ``kubectl auth whoami``, ``gh auth status`` and
the like, who the session's credentials are (printed-identity links,
:mod:`.commands.identities`). A ``.env`` the agent read or listed is also a host-level
credential of ``ctx.host``.

A web-session export (``{"loglines": [...]}``, one JSON document wrapping the
transcript's lines, as claude.ai/code sessions and claude-code-transcripts
save them) is read the same way, each entry at the line its ``uuid`` is on.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Credential, Origin, Records, Skipped
from scoper.sources.audit.commands.dotenv_values import shown_dotenv
from scoper.sources.audit.commands.host_files import host_copies, listed_dotenv
from scoper.sources.audit.commands.identities import printed_links, unique_links
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.session_events import (
    SessionTracker,
    command_credentials,
    command_events,
    path_credential,
    read_transcript,
    unique_credentials,
)
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import find_line, json_head, logical_name
from scoper.sources.streams import read_lines
from scoper.times import parse_time

_LOGLINES = re.compile(rb'\{\s*"loglines"\s*:\s*\[')
_RECORD_TYPE = re.compile(rb'"type"\s*:\s*"(?:user|assistant|summary|system)"')
_MESSAGE_TYPES = frozenset({"user", "assistant"})
_DOTENV = frozenset({"dotenv"})  # a .env seen in a working directory is on the host
_FILE_TOOLS = frozenset({"read", "edit", "write", "multiedit", "notebookedit"})


@dataclass(slots=True)
class _Call:
    tool_id: str
    command: str
    place: Place


@dataclass(slots=True)
class _Output:
    text: str
    line: int
    ts: datetime | None


class _Transcript:
    """The state of one file being read."""

    def __init__(self, path: Path, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.stem = logical_name(path).removesuffix(".jsonl")
        self.records = Records()
        self.sessions = SessionTracker(ctx.display)
        self.calls: list[_Call] = []
        self.outputs: dict[str, _Output] = {}
        self.credentials: list[Credential] = []
        self.unkeyed: str | None = None  # session of records without a sessionId (web export)

    def skip(self, line: int, reason: str) -> None:
        self.records.skipped.append(Skipped(Origin(self.ctx.display, line), reason))

    def read_line(self, line: int, record: Any) -> bool:
        """Take one record; False when it is not a transcript record at all."""
        if not isinstance(record, dict):
            self.skip(line, "not a JSON object")
            return False
        kind = record.get("type")
        if not isinstance(kind, str):
            self.skip(line, "record without a 'type'")
            return False
        sid, cwd = record.get("sessionId"), record.get("cwd")
        sid = sid if isinstance(sid, str) and sid else self.unkeyed
        cwd = cwd if isinstance(cwd, str) and cwd else None
        ts = parse_time(record.get("timestamp"))
        if sid:
            self.sessions.see(sid, line, ts, host=self.ctx.host, kind="agent", environment=cwd)
        if kind in _MESSAGE_TYPES:
            self._message(
                line,
                record,
                Place(
                    ts or datetime.min,
                    Origin(self.ctx.display, line),
                    sid or self.stem,
                    self.ctx.host,
                    cwd,
                ),
                ts is not None,
            )
        return True

    def _message(self, line: int, record: dict[str, Any], place: Place, timed: bool) -> None:
        message = record.get("message")
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            return
        if not isinstance(content, list):
            self.skip(line, f"{record['type']} message without content")
            return
        for index, item in enumerate(content):
            if not isinstance(item, dict):
                self.skip(line, f"content[{index}] is not an object")
            elif item.get("type") == "tool_use":
                self._tool_use(line, item, place, timed)
            elif item.get("type") == "tool_result" and isinstance(item.get("tool_use_id"), str):
                extra = record.get("toolUseResult")
                text = _text(item.get("content")) + _text(extra)
                ts = place.ts if timed else None
                self.outputs[item["tool_use_id"]] = _Output(text, line, ts)

    def _tool_use(self, line: int, item: dict[str, Any], place: Place, timed: bool) -> None:
        name, tool_input = str(item.get("name", "")).lower(), item.get("input")
        if not isinstance(tool_input, dict):
            return
        command, file_path = tool_input.get("command"), tool_input.get("file_path")
        if name == "bash" and isinstance(command, str) and command.strip():
            if not timed:
                self.skip(line, "Bash command without a timestamp")
                return
            self.calls.append(_Call(str(item.get("id", "")), command, place))
            self.credentials += command_credentials(command, place, self.ctx.fingerprint)
        elif name in _FILE_TOOLS and isinstance(file_path, str) and timed:
            found = path_credential(file_path, place)
            self.credentials += [found] if found else []

    def finish(self) -> Records:
        for call in self.calls:
            output = self.outputs.get(call.tool_id)
            where = None
            if output is not None and output.ts is not None:
                where = Place(
                    output.ts,
                    Origin(self.ctx.display, output.line),
                    call.place.session_id,
                    call.place.host,
                    call.place.cwd,
                )
            self.records.events += command_events(
                call.command,
                call.place,
                output.text if output else None,
                where,
            )
            if output is not None:
                shown = where or call.place
                self.records.identity_links += printed_links(call.command, output.text, shown)
                self.credentials += listed_dotenv(call.command, output.text, shown)
                self.credentials += shown_dotenv(
                    call.command, output.text, shown, self.ctx.fingerprint
                )
            if call.place.session_id not in self.sessions:
                self.sessions.see(
                    call.place.session_id or self.stem,
                    call.place.origin.line,
                    call.place.ts,
                    host=self.ctx.host,
                    kind="agent",
                    environment=call.place.cwd,
                )
        self.records.sessions = self.sessions.sessions()
        found = unique_credentials(c for c in self.credentials if c.session_id)
        self.records.credentials = found + host_copies(self.credentials, _DOTENV)
        self.records.identity_links = unique_links(self.records.identity_links)
        return self.records


def _text(value: Any) -> str:
    """The text of a tool result: a string, text items, or a stdout/stderr object."""
    if isinstance(value, str):
        return value + "\n"
    if isinstance(value, list):
        return "".join(_text(item) for item in value)
    if isinstance(value, dict):
        parts = [value.get(key) for key in ("text", "stdout", "stderr", "output")]
        return "".join(part + "\n" for part in parts if isinstance(part, str))
    return ""


class ClaudeCodeSource(FileSource):
    """Claude Code session transcripts (JSON Lines)."""

    name = "claude-code"
    kind: SourceKind = "audit"
    obtained = (
        "`~/.claude/projects/<project>/<session-id>.jsonl` on the developer's machine; a web-"
        "session export as saved"
    )
    summary = (
        "Claude Code session transcript (~/.claude/projects/*/<session>.jsonl) "
        'or web-session export ({"loglines": [...]})'
    )
    reads = (
        "one session per sessionId (cwd as environment, first/last message time); Bash "
        "tool commands as exec/install/import events at the message time, with versions "
        "recovered from the tool result; credential env vars set in commands, credential "
        "files the agent touched, secrets typed in commands or printed from .env files "
        "(fingerprinted); identities the session printed (aws sts get-caller-identity, "
        "gcloud, az, kubectl auth whoami, gh auth status, git config)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        name = logical_name(path)
        if name.endswith(".json") and _LOGLINES.match(json_head(head)):
            return _RECORD_TYPE.search(head) is not None  # a web-session export
        if not name.endswith(".jsonl"):
            return False
        keyed = b'"sessionId"' in head or b'"leafUuid"' in head
        return keyed and _RECORD_TYPE.search(head) is not None

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_lines(path, ctx.display)
        transcript = _Transcript(path, ctx)
        if (lines := _loglines(text.text)) is not None:
            transcript.unkeyed = transcript.stem  # an export spans its first to last line
            good = sum(transcript.read_line(line, record) for line, record in lines)
            if not good:
                raise InputError(ctx.display, "no Claude Code transcript record found", "line 1")
            return transcript.finish()
        return read_transcript(text, ctx.display, transcript, "Claude Code transcript")


def _loglines(text: str) -> list[tuple[int, Any]] | None:
    """A web-session export ``{"loglines": [...]}``: its lines, each at the line its
    ``uuid`` is on (the document may be pretty-printed); None for JSON Lines."""
    if not _LOGLINES.match(text.lstrip("\ufeff \t\r\n").encode()[:64]):
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None  # not one document: read as JSON Lines, which reports the bad lines
    lines = document.get("loglines") if isinstance(document, dict) else None
    if not isinstance(lines, list):
        return None
    found: list[tuple[int, Any]] = []
    start = 0
    for record in lines:
        uuid = record.get("uuid") if isinstance(record, dict) else None
        at = text.find(f'"{uuid}"', start) if isinstance(uuid, str) and uuid else -1
        start = at if at >= 0 else start
        found.append((find_line(text, "", start) or 1, record))
    return found


SOURCE = ClaudeCodeSource()
