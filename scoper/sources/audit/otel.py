"""OpenTelemetry OTLP JSON: traces (``resourceSpans``) and logs (``resourceLogs``).

Metrics exports (``resourceMetrics``) are recognised and noted as holding nothing
scoper uses (informational: nothing lost), so a folder of collector files ingests.
The session's actor is ``user.id`` / ``enduser.id`` (resource or item attribute).

One export document, or JSON Lines of exports (the collector's file exporter).
Sessions come from ``session.id`` / ``gen_ai.conversation.id`` / ``cicd.pipeline.*``
attributes; commands from ``process.command_line`` / ``process.command_args``,
GenAI tool calls (``gen_ai.tool.call.arguments``) and Claude Code's
``tool_parameters``; events sit at the span start (or log record) time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Credential, Origin, Records, Skipped
from scoper.sources.audit.commands.identities import printed_links, unique_links
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.session_events import (
    Command,
    SessionTracker,
    command_credentials,
    command_events,
    env_credential,
    json_lines,
    unique_credentials,
)
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import find_line, logical_name, read_text

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ROOTS = {
    "resourceSpans": ("scopeSpans", "instrumentationLibrarySpans", "spans"),
    "resourceLogs": ("scopeLogs", "instrumentationLibraryLogs", "logRecords"),
}
_COMMAND_KEYS = ("full_command", "command", "cmd", "bash_command")
_ENV_PREFIX = "process.environment_variable."
_ACTOR_KEYS = ("user.id", "enduser.id", "user.email", "user.name")  # Claude Code sets user.id


def _value(value: Any) -> Any:
    """An OTLP AnyValue as a plain Python value (None when malformed)."""
    if not isinstance(value, dict):
        return None
    for key in ("stringValue", "boolValue", "doubleValue", "bytesValue"):
        if key in value:
            return value[key]
    if "intValue" in value:
        try:
            return int(value["intValue"])
        except (TypeError, ValueError):
            return None
    array, kvlist = value.get("arrayValue"), value.get("kvlistValue")
    if isinstance(array, dict) and isinstance(array.get("values"), list):
        return [_value(item) for item in array["values"]]
    if isinstance(kvlist, dict):
        return attributes(kvlist.get("values"))
    return None


def attributes(items: Any) -> dict[str, Any]:
    """``[{key, value}]`` as a dict; malformed entries are left out."""
    if not isinstance(items, list):
        return {}
    return {
        item["key"]: _value(item.get("value"))
        for item in items
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    }


def nanos_time(value: Any) -> datetime | None:
    """Unix nanoseconds (int or decimal string) as an aware UTC datetime; 0 -> None."""
    try:
        nanos = int(value)
        return _EPOCH + timedelta(microseconds=nanos // 1000) if nanos > 0 else None
    except (TypeError, ValueError, OverflowError):
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _decoded(value: Any) -> Any:
    if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value


def _actor(value: Any) -> bool:
    """A usable ``user.id``-like value: a non-empty string or a number (not a bool)."""
    return (isinstance(value, str) and bool(value)) or (
        isinstance(value, int) and not isinstance(value, bool)
    )


def _command(attrs: dict[str, Any]) -> Command | None:
    """The command an item shows: process attributes, or a shell tool call's arguments."""
    if line := _text(attrs.get("process.command_line")):
        return line
    args = attrs.get("process.command_args")
    if isinstance(args, list) and args and all(isinstance(a, str) for a in args):
        return args
    for key in ("gen_ai.tool.call.arguments", "tool_parameters", "tool_input"):
        params = _decoded(attrs.get(key))
        if isinstance(params, dict):
            for name in _COMMAND_KEYS:
                found = params.get(name)
                if (isinstance(found, str) and found.strip()) or (
                    isinstance(found, list) and found and all(isinstance(a, str) for a in found)
                ):
                    return found
    exe = _text(attrs.get("process.executable.path")) or _text(attrs.get("process.executable.name"))
    return [exe] if exe else None


def _output(attrs: dict[str, Any]) -> str | None:
    result = _decoded(attrs.get("gen_ai.tool.call.result"))
    if isinstance(result, dict):
        result = "\n".join(str(result.get(k, "")) for k in ("output", "stdout", "stderr"))
    return result if isinstance(result, str) else None


def _session(attrs: dict[str, Any]) -> tuple[str | None, str]:
    """(session id, session kind) of an item's attributes."""
    run, task = attrs.get("cicd.pipeline.run.id"), attrs.get("cicd.pipeline.task.run.id")
    for key in ("session.id", "gen_ai.conversation.id"):
        value = attrs.get(key)
        if isinstance(value, str | int) and str(value):
            return str(value), "agent"
    if run is not None:
        return f"cicd:{run}" + (f":{task}" if task is not None else ""), "ci"
    return None, "process"


class _Export:
    """The state of one OTLP file being read."""

    def __init__(self, text: str, ctx: ParseContext) -> None:
        self.text, self.ctx = text, ctx
        self.records = Records()
        self.sessions = SessionTracker(ctx.display)
        self.credentials: list[Credential] = []
        self.items = 0

    def skip(self, line: int | None, reason: str) -> None:
        self.records.skipped.append(Skipped(Origin(self.ctx.display, line), reason))

    def document(self, line: int | None, doc: Any) -> None:
        if not isinstance(doc, dict):
            self.skip(line, "not an OTLP export object")
            return
        for root, (scopes_key, legacy_key, items_key) in _ROOTS.items():
            resources = doc.get(root, [])
            for r_index, resource in enumerate(resources if isinstance(resources, list) else []):
                if not isinstance(resource, dict):
                    self.skip(line, f"{root}[{r_index}] is not an object")
                    continue
                inner = resource.get("resource")
                base = attributes(inner.get("attributes") if isinstance(inner, dict) else None)
                scopes = resource.get(scopes_key) or resource.get(legacy_key) or []
                for scope in scopes if isinstance(scopes, list) else []:
                    items = scope.get(items_key) if isinstance(scope, dict) else None
                    for item in items if isinstance(items, list) else []:
                        self.item(line, root, base, item)

    def item(self, line: int | None, root: str, base: dict[str, Any], item: Any) -> None:
        self.items += 1
        if not isinstance(item, dict):
            self.skip(line, f"{root} item is not an object")
            return
        attrs = {**base, **attributes(item.get("attributes"))}
        is_span = root == "resourceSpans"
        start = nanos_time(item.get("startTimeUnixNano" if is_span else "timeUnixNano")) or (
            None if is_span else nanos_time(item.get("observedTimeUnixNano"))
        )
        end = nanos_time(item.get("endTimeUnixNano")) if is_span else None
        needle = _text(item.get("spanId")) or _text(str(item.get("timeUnixNano") or "")) or "\0"
        where = line if line is not None else find_line(self.text, needle)
        sid, kind = _session(attrs)
        host = _text(attrs.get("host.name")) or self.ctx.host
        cwd = _text(attrs.get("process.working_directory"))
        actor = next((str(v) for k in _ACTOR_KEYS if _actor(v := attrs.get(k))), None)
        if sid:
            self.sessions.see(
                sid, where, start, host=host, kind=kind, environment=cwd, actor=actor or None
            )
            self.sessions.see(sid, where, end)
        command = _command(attrs)
        if command is None and not any(k.startswith(_ENV_PREFIX) for k in attrs):
            return
        if start is None:
            self.skip(where, "span or log record without a time")
            return
        place = Place(start, Origin(self.ctx.display, where), sid, host, cwd)
        if command is not None:
            output = _output(attrs)
            self.records.events += command_events(command, place, output)
            self.records.identity_links += printed_links(command, output or "", place)
            self.credentials += command_credentials(command, place, self.ctx.fingerprint)
        self.credentials += [
            c
            for key, value in attrs.items()
            if key.startswith(_ENV_PREFIX)
            if (
                c := env_credential(
                    key[len(_ENV_PREFIX) :], str(value), place, self.ctx.fingerprint
                )
            )
        ]

    def metrics(self, line: int | None, doc: Any) -> None:
        if isinstance(doc, dict) and "resourceMetrics" in doc:
            why = "OTLP metrics export: nothing scoper uses (no spans or log records)"
            self.records.skipped.append(Skipped(Origin(self.ctx.display, line or 1), why, True))

    def finish(self) -> Records:
        self.records.sessions = self.sessions.sessions()
        self.records.credentials = unique_credentials(self.credentials)
        self.records.identity_links = unique_links(self.records.identity_links)
        return self.records


class OtelSource(FileSource):
    """OTLP JSON traces and logs (GenAI and process semantic conventions)."""

    name = "otlp-json"
    kind: SourceKind = "audit"
    obtained = (
        "the `path:` of an OpenTelemetry Collector `file` exporter (OTLP JSON lines), or an "
        "SDK's OTLP JSON file exporter"
    )
    summary = "OpenTelemetry OTLP JSON traces/logs (one export, or JSON Lines of exports)"
    reads = (
        "sessions from session.id / gen_ai.conversation.id / cicd.pipeline.run.id (host.name, "
        "span times); commands from process.command_line/command_args and GenAI tool-call "
        "arguments as exec/install/import events at span start; credential env vars from "
        "process.environment_variable.* (names only); user.id / enduser.id as the actor; "
        "metrics-only exports (resourceMetrics) noted as holding nothing used"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        name = logical_name(path)
        if not name.endswith((".json", ".jsonl", ".ndjson")):
            return False
        return any(k in head for k in (b'"resourceSpans"', b'"resourceLogs"', b'"resourceMetrics"'))

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        text = read_text(path, ctx.display)
        export = _Export(text, ctx)
        try:
            whole = json.loads(text)
            docs: list[tuple[int | None, Any]] = [(None if "\n" in text.strip() else 1, whole)]
        except (ValueError, RecursionError):
            docs = list(json_lines(text, ctx.display, export.records.skipped))
        if not any(
            isinstance(d, dict) and (set(d) & {*_ROOTS, "resourceMetrics"}) for _, d in docs
        ):
            raise InputError(
                ctx.display, "no resourceSpans, resourceLogs or resourceMetrics", "line 1"
            )
        for line, doc in docs:
            export.metrics(line, doc)
            export.document(line, doc)
        return export.finish()


SOURCE = OtelSource()
