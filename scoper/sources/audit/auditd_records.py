"""Linux audit records: one line -> fields, lines -> events, EXECVE records -> argv.

A raw line is ``[node=NAME ]type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): key=value ...``,
optionally followed by the ENRICHED part: ``\\x1d`` then translated ``KEY="value"``
fields. Values are ``"quoted"``, ``'quoted'`` (user-space ``msg='...'`` whose inside
is parsed as fields too) or bare; untrusted strings (argv, paths, exe, comm, key,
proctitle) are hex-encoded when bare. Records of one event share ``(node, stamp)``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from scoper.sources.audit.commands.exec_events import split_command
from scoper.sources.audit.commands.parse import environment_of

UNSET_ID = "4294967295"
_LINE = re.compile(
    r"(?:^|\s)(?:node=(?P<node>\S+)\s+)?type=(?P<type>\S+)\s+"
    r"msg=audit\((?P<sec>\d{1,12})(?:\.(?P<frac>\d{1,9}))?:(?P<serial>\d{1,20})\):?\s?"
)
_FIELD = re.compile(r"""([\w\-\[\]]+)=("[^"]*"|'[^']*'|\S*)""")
_HEX = re.compile(r"^(?:[0-9A-Fa-f]{2})+$")
_ARG = re.compile(r"^a(\d+)$")
_ARG_CHUNK = re.compile(r"^a(\d+)\[(\d+)\]$")
_UNTRUSTED = frozenset({"name", "cwd", "exe", "comm", "key", "proctitle", "path", "cmd"})
_MAX_ARGS = 100_000
# Syscall numbers of execve/execveat per audit arch.
_EXEC_SYSCALLS = {
    "c000003e": {"59", "322"},  # x86_64
    "40000003": {"11", "358"},  # i386
    "c00000b7": {"221", "281"},  # aarch64
    "c00000f3": {"221", "281"},  # riscv64
}


@dataclass(slots=True)
class AuditRecord:
    """One line: its type, raw field tokens (quotes kept), enriched fields, line number."""

    type: str
    fields: dict[str, str]
    enriched: dict[str, str]
    line: int


@dataclass(slots=True)
class AuditEvent:
    """All records sharing one ``msg=audit(stamp)`` on one node, in file order."""

    node: str | None
    stamp: str
    serial: int
    ts: datetime
    line: int
    records: list[AuditRecord] = field(default_factory=list)

    def first(self, record_type: str) -> AuditRecord | None:
        """The first record of a type, if any."""
        return next((r for r in self.records if r.type == record_type), None)

    def all(self, record_type: str) -> list[AuditRecord]:
        """Every record of a type, in order."""
        return [r for r in self.records if r.type == record_type]


class LineError(ValueError):
    """A line that is not an audit record."""


def parse_line(text: str, line: int) -> tuple[str | None, str, int, datetime, AuditRecord]:
    """``(node, stamp, serial, ts, record)`` for one raw line; LineError if it is not one."""
    match = _LINE.search(text)
    if match is None:
        raise LineError("not an audit record (no 'type=... msg=audit(...)')")
    ts = _timestamp(match["sec"], match["frac"] or "0")
    body, _, extra = text[match.end() :].partition("\x1d")
    stamp = f"{match['sec']}.{match['frac'] or '0'}:{match['serial']}"
    record = AuditRecord(match["type"].upper(), _fields(body), _fields(extra), line)
    return match["node"], stamp, int(match["serial"]), ts, record


@lru_cache(maxsize=256)
def _timestamp(sec: str, frac: str) -> datetime:
    """The record time; the several lines of one event share it, so it is made once."""
    try:
        return datetime.fromtimestamp(int(sec), UTC) + timedelta(
            microseconds=int(frac[:6].ljust(6, "0"))
        )
    except (OverflowError, OSError, ValueError) as exc:
        raise LineError(f"bad timestamp {sec!r}") from exc


def _fields(body: str) -> dict[str, str]:
    if not body:
        return {}
    found: dict[str, str] = {}
    for key, raw in _FIELD.findall(body):
        if key == "msg" and raw.startswith("'"):
            for inner_key, inner in _FIELD.findall(raw[1:-1] if raw.endswith("'") else raw[1:]):
                found.setdefault(inner_key, inner)
        else:
            found.setdefault(key, raw)
    return found


def group(lines: Iterable[tuple[int, str]]) -> tuple[list[AuditEvent], list[tuple[int, str]]]:
    """Events in order of first appearance, and ``(line, reason)`` for unusable lines."""
    events: dict[tuple[str | None, str], AuditEvent] = {}
    bad: list[tuple[int, str]] = []
    for number, text in lines:
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        try:
            node, stamp, serial, ts, record = parse_line(text, number)
        except LineError as exc:
            bad.append((number, str(exc)))
            continue
        event = events.get((node, stamp))
        if event is None:
            event = events[(node, stamp)] = AuditEvent(node, stamp, serial, ts, number)
        if record.type != "EOE":
            event.records.append(record)
    return [e for e in events.values() if e.records], bad


def text(raw: str | None) -> str | None:
    """A trusted value without its quotes; None for a missing value."""
    if raw is None:
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    return raw.lstrip("\"'").rstrip("\"'") if raw[:1] in "\"'" else raw


def untrusted(raw: str | None) -> str | None:
    """An untrusted string: quoted literal, or bare hex decoded; ``(null)`` is None."""
    if raw is None or raw in ("(null)", "(none)", '"(null)"'):
        return None
    data = _bytes(raw)
    return data.decode("utf-8", "replace") if data is not None else text(raw)


def _bytes(raw: str) -> bytes | None:
    if raw[:1] in "\"'":
        return (text(raw) or "").encode("utf-8", "replace")
    return bytes.fromhex(raw) if _HEX.match(raw) else None


def field_value(record: AuditRecord | None, name: str) -> str | None:
    """A field of a record, decoded when it is an untrusted string."""
    if record is None:
        return None
    raw = record.fields.get(name)
    return untrusted(raw) if name in _UNTRUSTED else text(raw)


def keys(record: AuditRecord | None) -> list[str]:
    """The rule keys of a SYSCALL record (several keys are joined with \\x01)."""
    value = field_value(record, "key")
    return [k for k in value.split("\x01") if k] if value else []


def is_execve(syscall: AuditRecord | None) -> bool:
    """True for an execve/execveat SYSCALL record."""
    if syscall is None:
        return False
    name = syscall.enriched.get("SYSCALL")
    if name:
        return text(name) in ("execve", "execveat")
    arch = (text(syscall.fields.get("arch")) or "").lower()
    return text(syscall.fields.get("syscall")) in _EXEC_SYSCALLS.get(arch, set())


def argv(event: AuditEvent) -> tuple[list[str], bool] | None:
    """``(argv, complete)`` from the EXECVE records, or None when there are none."""
    execves = event.all("EXECVE")
    if not execves:
        return None
    merged: dict[str, str] = {}
    for record in execves:
        for key, raw in record.fields.items():
            merged.setdefault(key, raw)
    argc_text = text(merged.get("argc")) or ""
    argc = int(argc_text) if argc_text.isdigit() and len(argc_text) < 7 else None
    args: list[str] = []
    for index in range(min(argc if argc is not None else _MAX_ARGS, _MAX_ARGS)):
        value = _argument(merged, index)
        if value is None:
            break
        args.append(value)
    return args, argc is not None and len(args) == argc


def _argument(merged: dict[str, str], index: int) -> str | None:
    raw = merged.get(f"a{index}")
    if raw is not None:
        return untrusted(raw) or ""
    if f"a{index}_len" not in merged and f"a{index}[0]" not in merged:
        return None
    chunks: list[tuple[int, bytes]] = []
    for key, value in merged.items():
        match = _ARG_CHUNK.match(key)
        if match and int(match[1]) == index:
            chunks.append((int(match[2]), _bytes(value) or value.encode("utf-8", "replace")))
    return b"".join(c for _, c in sorted(chunks)).decode("utf-8", "replace")


def proctitle_argv(event: AuditEvent) -> list[str] | None:
    """argv from PROCTITLE (NUL-separated, truncated by the kernel): a fallback only."""
    value = field_value(event.first("PROCTITLE"), "proctitle")
    if not value:
        return None
    return [part for part in value.split("\x00") if part] or None


def event_detail(event: AuditEvent, syscall: AuditRecord | None) -> dict[str, Any]:
    """The exec/file detail of an event: audit id, exe, cwd, pids, ids, rule keys."""
    detail: dict[str, Any] = {"audit_id": event.stamp}
    cwd = field_value(event.first("CWD"), "cwd")
    values = {
        "exe": field_value(syscall, "exe"),
        "cwd": cwd,
        "pid": field_value(syscall, "pid"),
        "ppid": field_value(syscall, "ppid"),
        "uid": field_value(syscall, "uid"),
        "auid": field_value(syscall, "auid"),
        "syscall": field_value(syscall, "syscall"),
    }
    detail.update({k: v for k, v in values.items() if v})
    if rule_keys := keys(syscall):
        detail["keys"] = rule_keys
    return detail


def executed_environment(
    event: AuditEvent, syscall: AuditRecord | None, args: list[str]
) -> str | None:
    """The environment of a program started by bare name (``python``), from execve's PATH.

    The shell resolved ``python`` through $PATH; the execve PATH record (item 0) names the
    file it ran, e.g. ``/srv/app/.venv/bin/python``, and so the virtualenv (or ``/usr``).
    """
    if "/" in args[0] or not is_execve(syscall) or not args[0].startswith(("python", "pip")):
        return None  # uv, pipx, poetry... live outside the environment they act on
    first = next((r for r in event.all("PATH") if text(r.fields.get("item")) == "0"), None)
    name = field_value(first, "name") if first is not None else None
    if name and name.startswith("/") and posixpath.basename(name) == args[0]:
        return environment_of(name)
    return None


def command_line(
    event: AuditEvent, syscall: AuditRecord | None, detail: dict[str, Any]
) -> tuple[list[str], bool] | None:
    """argv from EXECVE; else the truncated PROCTITLE of an execve; else sudo's USER_CMD."""
    found = argv(event)
    if found is None and is_execve(syscall):
        title = proctitle_argv(event)
        found = (title, False) if title else None
        detail["argv_source"] = "proctitle"
    user_cmd = event.first("USER_CMD")
    if found is None and user_cmd is not None:
        command = field_value(user_cmd, "cmd")
        found = (split_command(command), False) if command else None
        detail["argv_source"] = "user_cmd"
        if cwd := field_value(user_cmd, "cwd"):
            detail["cwd"] = cwd
    return found
