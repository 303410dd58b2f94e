"""Linux auditd raw logs (``/var/log/audit/audit.log``): executions, watched credential files.

Records are grouped into events by ``(node, msg=audit(ts:serial))``. An execve
event becomes an ``exec`` event with its argv rebuilt from EXECVE records (or,
when those are missing, from the truncated PROCTITLE), plus the install/import
facts read from the argv; sudo's USER_CMD record (``cmd``, ``cwd``) does too.
Failed execs (``success=no``) ran nothing and are not events. A file syscall
that hits a watch rule (``key=``) or a credential path becomes a ``file``
event; when the path is a credential file and the access succeeded it is also
a :class:`Credential` of the session. A credential file seen at all (read, denied but
there, or named by a CONFIG_CHANGE watch rule ``op="add rule" path=...``) is also a
host-level credential (no session) of the node, one per path, the earliest sighting.
An exec is a Python start (``interpreter="python"``) by argv or by ``exe=``.

Host: ``node=`` when present, else ``ctx.host``. Sessions:

- ``auditd:<host>:ses:<ses>`` for a login session (``ses`` set), actor = the
  ENRICHED ``AUID`` name, else the login's ``acct``, else the numeric auid; its
  login records (USER_LOGIN, USER_START, CRED_ACQ, USER_END...) are ``login``
  events (account, source addr/hostname, terminal), so logins alone give sessions;
- ``ses`` unset (4294967295: daemons, CI agents) but auid set:
  ``auditd:<host>:auid:<auid>``;
- both unset: per process tree, ``auditd:<host>:tree:<pid>`` where pid is the
  topmost ancestor seen in this file (parent pid 0/1 or not seen), kind ``process``.

Without node and ctx.host the host part is ``file:<display>`` so logs of
different hosts never share a session id.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Credential, Event, Origin, Records, Session, Skipped
from scoper.sources.audit.auditd_logins import account, login_event, login_record
from scoper.sources.audit.auditd_records import (
    UNSET_ID,
    AuditEvent,
    AuditRecord,
    command_line,
    event_detail,
    executed_environment,
    field_value,
    group,
    is_execve,
    keys,
    text,
)
from scoper.sources.audit.commands.credentials import classify_path
from scoper.sources.audit.commands.exec_events import (
    argv_credentials,
    exec_events,
    process_root,
    unique_credentials,
)
from scoper.sources.audit.commands.host_files import host_copies
from scoper.sources.audit.commands.parse import program_name
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_detail
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.streams import read_lines

_SNIFF = re.compile(r"^(?:node=\S+ )?type=[A-Za-z0-9_]+ msg=audit\(\d")
_SESSION_END = frozenset({"USER_END", "USER_LOGOUT"})
_RULE_OPS = frozenset({"add_rule", "add rule", "updated_rules"})  # CONFIG_CHANGE naming a watch
_HOST_FILE_CLASSES = frozenset({"env"})  # harvest classes that are no file on the host


@dataclass(slots=True)
class _SessionInfo:
    host: str | None
    kind: str
    actor: str | None
    started_at: datetime
    line: int
    ended_at: datetime | None = None
    used: bool = False


class Auditd(FileSource):
    """Linux audit log in the raw auditd format (also ENRICHED and ``node=`` lines)."""

    name = "auditd"
    kind: SourceKind = "audit"
    obtained = (
        "`/var/log/audit/audit.log` (and rotated `audit.log.N`) on the host, or `ausearch --raw"
        " > audit.log`"
    )
    summary = "Linux auditd raw log (audit.log), raw or ENRICHED format"
    reads = (
        "exec events with argv (EXECVE, hex and split arguments), cwd, exe; install/import "
        "facts from argv; Python starts by exe; login sessions (ses/auid); watched credential "
        "files (key=) as file events and credentials of the process and of the host; secrets "
        "typed in argv (fingerprinted)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        for raw in head.decode("utf-8", "replace").split("\n"):
            line = raw.strip()
            if line and not line.startswith("#"):
                return bool(_SNIFF.match(line))
        return False

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        content = read_lines(path, ctx.display)
        lines = ((n, raw.rstrip("\r")) for n, raw in enumerate(content.text.split("\n"), 1))
        events, bad = group(lines)
        bad = sorted(content.bad + bad)
        if not events:
            place = f"line {bad[0][0]}" if bad else None
            raise InputError(ctx.display, "no audit records found", place)
        builder = _Builder(ctx, events)
        for event in events:
            builder.add(event)
        records = builder.finish()
        records.skipped[:0] = [Skipped(Origin(ctx.display, n), why) for n, why in bad]
        return records


class _Builder:
    """Turns grouped audit events into records, tracking sessions as it goes."""

    def __init__(self, ctx: ParseContext, events: list[AuditEvent]) -> None:
        self.ctx = ctx
        self.records = Records()
        self.sessions: dict[str, _SessionInfo] = {}
        self.parents: dict[tuple[str | None, str], tuple[str | None, str]] = {}
        self.credentials: set[tuple[str | None, str]] = set()
        for event in events:
            ids = _identity(event)
            pid, ppid = text(ids.fields.get("pid")), text(ids.fields.get("ppid"))
            if ids.type == "SYSCALL" and pid and ppid:
                self.parents[(event.node, pid)] = (event.node, ppid)

    def add(self, event: AuditEvent) -> None:
        session_id = self._session(event)
        host = event.node or self.ctx.host
        syscall = event.first("SYSCALL")
        detail = event_detail(event, syscall)
        if session_id and any(r.type in _SESSION_END for r in event.records):
            self.sessions[session_id].ended_at = event.ts
        login = login_record(event)
        if login is not None and session_id and _set_id(_identity(event), "ses"):
            info = self.sessions[session_id]
            if (name := account(login)) and (info.actor is None or info.actor.isdigit()):
                info.actor = name  # the login name, where no ENRICHED AUID names the auid
            self._emit(
                session_id, events=[login_event(event, login, session_id, host, self.ctx.display)]
            )
            return
        failed = syscall is not None and text(syscall.fields.get("success")) == "no"
        if failed and is_execve(syscall):
            return
        found = command_line(event, syscall, detail)
        if found is not None and found[0]:
            detail["argv_complete"] = found[1]
            where = Place(event.ts, Origin(self.ctx.display, event.line), session_id, host)
            events = exec_events(found[0], where, detail, executable=field_value(syscall, "exe"))
            if venv := executed_environment(event, syscall, found[0]):
                events = [e if e.environment else replace(e, environment=venv) for e in events]
            self._emit(
                session_id, events=events, credentials=argv_credentials(found[0], where, self.ctx)
            )
        elif syscall is not None and not is_execve(syscall):
            self._files(event, syscall, session_id, host, detail)
        elif (change := event.first("CONFIG_CHANGE")) is not None:
            self._watch_rule(event, change, host)

    def _watch_rule(self, event: AuditEvent, change: AuditRecord, host: str | None) -> None:
        """A watch rule on a credential file (``auditctl -w PATH``) says the file is there."""
        path, op = field_value(change, "path"), (text(change.fields.get("op")) or "")
        found = classify_path(path) if path and path.startswith("/") else None
        if found is None or host is None or op not in _RULE_OPS:
            return
        origin = Origin(self.ctx.display, change.line)
        self.records.credentials.append(_on_host(path or "", found, origin, host, event.ts))

    def _files(
        self,
        event: AuditEvent,
        syscall: AuditRecord,
        session_id: str | None,
        host: str | None,
        detail: dict[str, Any],
    ) -> None:
        rule_keys = keys(syscall)
        cwd = detail.get("cwd")
        succeeded = text(syscall.fields.get("success")) != "no"
        for record in event.all("PATH"):
            name = field_value(record, "name")
            if not name or text(record.fields.get("nametype")) == "PARENT":
                continue
            if not name.startswith("/") and isinstance(cwd, str):
                name = posixpath.normpath(posixpath.join(cwd, name))
            found = classify_path(name)
            if not rule_keys and found is None:
                continue
            origin = Origin(self.ctx.display, record.line)
            info = {"key": ",".join(rule_keys) or None, "path": name, "success": succeeded}
            self._emit(
                session_id,
                events=[
                    Event(
                        ts=event.ts,
                        kind="file",
                        origin=origin,
                        session_id=session_id,
                        host=host,
                        program=_program(detail),
                        detail=redact_detail({**detail, **info}),
                    )
                ],
            )
            missing = text(syscall.fields.get("exit")) == "-2"  # ENOENT: no file there
            if found and not succeeded and not missing and host is not None:
                self._emit(None, credentials=[_on_host(name, found, origin, host, event.ts)])
            if found and succeeded and (session_id, name) not in self.credentials:
                self.credentials.add((session_id, name))
                self._emit(
                    session_id,
                    credentials=[
                        Credential(
                            name=name,
                            kind=found[0],
                            harvest_class=found[1],
                            origin=origin,
                            session_id=session_id,
                            host=host,
                            path=name,
                            first_seen=event.ts,
                        )
                    ],
                )

    def _emit(
        self,
        session_id: str | None,
        events: list[Event] | None = None,
        credentials: list[Credential] | None = None,
    ) -> None:
        self.records.events.extend(events or [])
        self.records.credentials.extend(credentials or [])
        if session_id and (events or credentials):
            self.sessions[session_id].used = True

    def _session(self, event: AuditEvent) -> str | None:
        ids = _identity(event)
        ses, auid = _set_id(ids, "ses"), _set_id(ids, "auid")
        part = event.node or self.ctx.host or f"file:{self.ctx.display}"
        if ses:
            key, kind, actor = f"ses:{ses}", "shell", _name(ids, "AUID") or auid
        elif auid:
            key, kind, actor = f"auid:{auid}", "shell", _name(ids, "AUID") or auid
        else:
            pid = text(ids.fields.get("pid"))
            if not pid:
                return None
            key, kind = f"tree:{self._root(event.node, pid)}", "process"
            actor = _name(ids, "UID") or text(ids.fields.get("uid"))
        session_id = f"auditd:{part}:{key}"
        info = self.sessions.get(session_id)
        if info is None:
            self.sessions[session_id] = _SessionInfo(
                event.node or self.ctx.host, kind, actor, event.ts, event.line
            )
        elif event.ts < info.started_at:
            info.started_at = event.ts
        return session_id

    def _root(self, node: str | None, pid: str) -> str:
        stop = frozenset({(node, "0"), (node, "1")})  # init and the kernel end a tree
        return process_root(self.parents, (node, pid), stop)[1]

    def finish(self) -> Records:
        files = [c for c in self.records.credentials if c.harvest_class not in _HOST_FILE_CLASSES]
        files = [c for c in files if c.path and c.path.startswith("/")]
        self.records.credentials += host_copies(files)
        self.records.credentials = unique_credentials(self.records.credentials)
        for session_id, info in self.sessions.items():
            if info.used:
                self.records.sessions.append(
                    Session(
                        session_id=session_id,
                        origin=Origin(self.ctx.display, info.line),
                        host=info.host,
                        kind=info.kind,
                        actor=info.actor,
                        started_at=info.started_at,
                        ended_at=info.ended_at,
                    )
                )
        return self.records


def _on_host(
    path: str, found: tuple[str, str], origin: Origin, host: str, ts: datetime
) -> Credential:
    """A credential file on ``host`` (no session: whoever runs there can read it)."""
    return Credential(
        name=path,
        kind=found[0],
        harvest_class=found[1],
        origin=origin,
        host=host,
        path=path,
        first_seen=ts,
    )


def _identity(event: AuditEvent) -> AuditRecord:
    """The record that says who acted: SYSCALL, else the first carrying ses/auid/pid."""
    syscall = event.first("SYSCALL")
    if syscall is not None:
        return syscall
    for record in event.records:
        if {"ses", "auid", "pid"} & record.fields.keys():
            return record
    return event.records[0]


def _set_id(record: AuditRecord, name: str) -> str | None:
    value = text(record.fields.get(name))
    return value if value and value.isdigit() and value != UNSET_ID else None


def _name(record: AuditRecord, name: str) -> str | None:
    value = text(record.enriched.get(name))
    return value if value and value != "unset" else None


def _program(detail: dict[str, Any]) -> str | None:
    exe = detail.get("exe")
    return program_name(exe) or None if isinstance(exe, str) else None


SOURCE = Auditd()
