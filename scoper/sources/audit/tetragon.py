"""Cilium Tetragon JSON export (``tetra getevents -o json``, the export file, one event a line).

``process_exec`` becomes an ``exec`` event (argv = binary + the ``arguments``
string, whose quoting Tetragon loses; the code after ``sh -c`` is kept whole)
with the install/import facts read from it; ``process_connect`` a ``network``
event; ``process_kprobe`` (and
tracepoint/lsm) file arguments that are credential paths a ``file`` event and
a :class:`Credential` of the session, and one of the node (host-level, no session: the
file is on its disk). ``process.environment_variables`` (opt-in) become
credentials by name, values fingerprinted. Other event types are counted in
one skipped entry per type.

Session: the pod, ``k8s:<namespace>/<pod>`` (kind ``pod``, host = node,
image digest = the ``sha256:`` of the first container image seen); without a
pod, the exec_id tree: ``tetragon:<node>:exec:<root exec_id>`` (kind ``process``)
where the root is the topmost ancestor seen in the file.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scoper.model import Credential, Event, Origin, Records, Session, Skipped
from scoper.sources.audit.commands.credentials import classify_path
from scoper.sources.audit.commands.exec_events import (
    argv_credentials,
    env_credentials,
    exec_events,
    lossy_argv,
    process_root,
    unique_credentials,
)
from scoper.sources.audit.commands.parse import program_name
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_detail
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import dig, read_json_items, string
from scoper.times import parse_time

_SNIFF = re.compile(
    rb'"process_(?:exec|exit|kprobe|tracepoint|lsm|uprobe|connect|close|listen|'
    rb'loader|throttle)"\s*:\s*\{'
)
_FILE_EVENTS = frozenset({"process_kprobe", "process_tracepoint", "process_lsm", "process_uprobe"})
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(slots=True)
class _SessionInfo:
    session: Session
    started_at: datetime | None


class Tetragon(FileSource):
    """Tetragon process events (JSON Lines, or one pretty-printed event)."""

    name = "tetragon"
    kind: SourceKind = "audit"
    obtained = (
        "`kubectl exec -n kube-system ds/tetragon -c tetragon -- tetra getevents -o json > "
        "tetragon.json`, or the export file `/var/run/cilium/tetragon/tetragon.log`"
    )
    summary = "Cilium Tetragon JSON events (process_exec, process_kprobe, process_connect, ...)"
    reads = (
        "exec events with argv, pod sessions with image digest, exec_id process trees, "
        "connect events, credential files touched by kprobes, environment variable names"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.lstrip()[:1] != b"{" or _SNIFF.search(head) is None:
            return False
        return b'"exec_id"' in head or b'"node_name"' in head

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        data = read_json_items(path, ctx.display)
        parser = _Parser(ctx, data.items)
        for line, item in data.items:
            parser.add(line, item)
        records = parser.finish()
        records.skipped[:0] = data.skips(ctx.display)
        return records


_LOSSLESS = frozenset({"process_exit"})


def _event_type(item: dict[str, Any]) -> str | None:
    return next((k for k in item if k.startswith("process_") and isinstance(item[k], dict)), None)


class _Parser:
    def __init__(self, ctx: ParseContext, items: list[tuple[int, dict[str, Any]]]) -> None:
        self.ctx = ctx
        self.records = Records()
        self.sessions: dict[str, _SessionInfo] = {}
        self.ignored: Counter[str] = Counter()
        self.ignored_line: dict[str, int] = {}
        self.parents: dict[str, str] = {}
        self.seen_files: set[tuple[str | None, str]] = set()
        for _, item in items:
            body = item.get(_event_type(item) or "")
            for proc in (dig(body, "process"), dig(body, "parent")):
                exec_id, parent = string(dig(proc, "exec_id")), string(dig(proc, "parent_exec_id"))
                if exec_id and parent:
                    self.parents[exec_id] = parent

    def add(self, line: int, item: dict[str, Any]) -> None:
        kind = _event_type(item)
        body: dict[str, Any] = item.get(kind, {}) if kind else {}
        process = dig(body, "process")
        ts = parse_time(item.get("time")) or parse_time(dig(process, "start_time"))
        origin = Origin(self.ctx.display, line)
        if kind is None or not isinstance(process, dict) or ts is None:
            why = "no process event" if kind is None else "no process or time"
            self.records.skipped.append(Skipped(origin, f"tetragon: {why}"))
            return
        host = string(item.get("node_name")) or self.ctx.host
        where = Place(ts, origin, self._session(process, host, ts, line), host)
        if kind == "process_exec":
            self._exec(process, where)
        elif kind == "process_connect":
            self._connect(body, process, where)
        elif kind in _FILE_EVENTS:
            self._files(body, process, where)
        else:
            self.ignored[kind] += 1
            self.ignored_line.setdefault(kind, line)

    def _exec(self, process: dict[str, Any], where: Place) -> None:
        binary = string(process.get("binary"))
        if binary is None:
            self.records.skipped.append(Skipped(where.origin, "tetragon: exec without binary"))
            return
        argv = lossy_argv(shlex.join([binary]) + " " + (string(process.get("arguments")) or ""))
        environ = _environment(process)
        self.records.events.extend(exec_events(argv, where, _detail(process), environ=environ))
        self.records.credentials.extend(env_credentials(environ, where, self.ctx))
        self.records.credentials.extend(argv_credentials(argv, where, self.ctx))

    def _connect(self, body: dict[str, Any], process: dict[str, Any], where: Place) -> None:
        keys = ("destination_ip", "destination_port", "protocol", "source_ip")
        detail = {k: body[k] for k in keys if k in body} | _detail(process)
        self.records.events.append(
            Event(
                ts=where.ts,
                kind="network",
                origin=where.origin,
                session_id=where.session_id,
                host=where.host,
                program=_base(string(process.get("binary"))),
                detail=redact_detail(detail),
            )
        )

    def _files(self, body: dict[str, Any], process: dict[str, Any], where: Place) -> None:
        for path in _arg_paths(body.get("args")):
            found = classify_path(path)
            full = path if path.startswith("/") else "/" + path
            if found is None or (where.session_id, full) in self.seen_files:
                continue
            self.seen_files.add((where.session_id, full))
            detail = {"path": full, "function": string(body.get("function_name"))}
            self.records.events.append(
                Event(
                    ts=where.ts,
                    kind="file",
                    origin=where.origin,
                    session_id=where.session_id,
                    host=where.host,
                    program=_base(string(process.get("binary"))),
                    detail=redact_detail(detail | _detail(process)),
                )
            )
            seen = Credential(
                name=full,
                kind=found[0],
                harvest_class=found[1],
                origin=where.origin,
                session_id=where.session_id,
                host=where.host,
                path=full,
                first_seen=where.ts,
            )
            self.records.credentials.append(seen)
            if where.host is not None:  # on the node's disk: whoever runs there can read it
                self.records.credentials.append(replace(seen, session_id=None))

    def _session(
        self, process: dict[str, Any], host: str | None, ts: datetime, line: int
    ) -> str | None:
        namespace = string(dig(process, "pod", "namespace"))
        pod = string(dig(process, "pod", "name"))
        exec_id = string(process.get("exec_id"))
        if namespace and pod:
            session_id, kind = f"k8s:{namespace}/{pod}", "pod"
            started = parse_time(dig(process, "pod", "container", "start_time"))
        elif exec_id:
            root = process_root(self.parents, exec_id)
            session_id, kind, started = f"tetragon:{host or '-'}:exec:{root}", "process", None
        else:
            return None
        started = started or ts
        info = self.sessions.get(session_id)
        if info is None:
            image = string(dig(process, "pod", "container", "image", "id")) or ""
            digest = _DIGEST.search(image)
            self.sessions[session_id] = _SessionInfo(
                Session(
                    session_id=session_id,
                    origin=Origin(self.ctx.display, line),
                    host=host,
                    kind=kind,
                    image_digest=digest.group(0) if digest else None,
                ),
                started,
            )
        elif info.started_at is None or started < info.started_at:
            info.started_at = started
        return session_id

    def finish(self) -> Records:
        self.records.credentials = unique_credentials(self.records.credentials)
        for info in self.sessions.values():
            s = info.session
            self.records.sessions.append(
                Session(
                    session_id=s.session_id,
                    origin=s.origin,
                    host=s.host,
                    kind=s.kind,
                    image_digest=s.image_digest,
                    started_at=info.started_at,
                )
            )
        for kind, count in sorted(self.ignored.items()):
            origin = Origin(self.ctx.display, self.ignored_line[kind])
            # an exit only ends a process its exec already gave: nothing is lost
            lossless = kind in _LOSSLESS
            why = f"{count} {kind} event(s) not used"
            self.records.skipped.append(Skipped(origin, why, informational=lossless))
        return self.records


def _base(path: str | None) -> str | None:
    return program_name(path) or None if path else None


def _detail(process: dict[str, Any]) -> dict[str, Any]:
    values = {
        "exec_id": string(process.get("exec_id")),
        "pid": process.get("pid"),
        "uid": process.get("uid"),
        "cwd": string(process.get("cwd")),
        "binary": string(process.get("binary")),
        "container": string(dig(process, "pod", "container", "name")),
        "image": string(dig(process, "pod", "container", "image", "name")),
        "parent_exec_id": string(process.get("parent_exec_id")),
    }
    return {k: v for k, v in values.items() if isinstance(v, str | int) and not isinstance(v, bool)}


def _environment(process: dict[str, Any]) -> list[tuple[str, str | None]]:
    pairs: list[tuple[str, str | None]] = []
    variables = process.get("environment_variables")
    for entry in variables if isinstance(variables, list) else []:
        if isinstance(entry, dict) and string(entry.get("key")):
            value = entry.get("value")
            pairs.append((str(entry["key"]), value if isinstance(value, str) else None))
        elif isinstance(entry, str) and "=" in entry:
            name, _, value = entry.partition("=")
            pairs.append((name, value))
    return pairs


def _arg_paths(args: Any) -> list[str]:
    paths: list[str] = []
    for arg in args if isinstance(args, list) else []:
        for key in ("file_arg", "path_arg", "linux_binprm_arg"):
            path = string(dig(arg, key, "path"))
            if path:
                paths.append(path)
        value = string(dig(arg, "string_arg"))
        if value and value.startswith("/"):
            paths.append(value)
    return paths


SOURCE = Tetragon()
