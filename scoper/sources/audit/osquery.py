"""osquery results log (``osqueryd.results.log``): package inventories and process executions.

Lines are differential (``action`` added/removed + ``columns``), snapshot
(``snapshot: [rows]``) or batched (``diffResults.added/removed``). The table is
told by the query name (``pack_x_python_packages``) or, failing that, by its columns
(a ``processes`` row by ``pid`` + ``path`` with ``parent``/``cwd``/``uid``/``start_time``).
The host is ``hostIdentifier``, the legacy envelope's ``hostname``, else the
``hostname`` decoration; lines are told by content (envelope + rows), not ``--format``.

- ``python_packages`` / ``npm_packages``: one inventory artifact per host and
  environment (``directory``, else the parent of ``path``; a Python
  ``<prefix>/lib/pythonX.Y/site-packages`` is named by its prefix, e.g. the
  venv ``/opt/app/.venv``, as exec events name it), its packages (first seen), an
  ``install`` event at ``unixTime`` for an added row (the inventory saw it then)
  and an ``uninstall`` event for a removed one;
- ``process_events`` / ``processes`` (and bpf/es variants): exec events (argv
  split from ``cmdline``, quoting lost) in a per-process-tree session
  ``osquery:<host>:tree:<root pid>``; credentials named by ``env`` (values
  fingerprinted, then dropped); ``process_envs`` rows likewise;
- ``file`` / ``hash`` / ``yara`` / ``file_events`` rows whose ``path`` (``target_path``)
  is a credential file: a host-level credential (no session), the earliest row first;
- other tables (deb/rpm packages, ...) are counted in one skipped entry per table.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoper.model import Artifact, Credential, Event, Origin, Package, Records, Session, Skipped
from scoper.names import canonical
from scoper.sources.audit.commands.credentials import classify_path
from scoper.sources.audit.commands.exec_events import (
    argv_credentials,
    env_credentials,
    exec_events,
    lossy_argv,
    parse_env_string,
    process_root,
    unique_credentials,
)
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_detail
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import dig, epoch, read_json_items, string

_PACKAGE_TABLES = {"python_packages": "PyPI", "npm_packages": "npm"}
_PROCESS_TABLES = ("bpf_process_events", "es_process_events", "process_events", "processes")
_KNOWN = (*_PACKAGE_TABLES, "process_envs", *_PROCESS_TABLES, "deb_packages", "rpm_packages")

_SITE_PACKAGES = re.compile(
    r"^(.*?)/(?:lib|lib64|Lib)(?:/python[\d.]+)?/(?:site|dist)-packages/?$", re.IGNORECASE
)

# hostIdentifier (current), hostname (before osquery 1.x renamed it), the result times
_ENVELOPE = (b'"hostIdentifier"', b'"hostname"', b'"calendarTime"', b'"unixTime"')
_PROCESS_COLUMNS = {"parent", "cwd", "uid", "start_time", "cmdline", "on_disk"}

Row = tuple[int, str, dict[str, Any], dict[str, Any]]  # line, action, columns, entry


class Osquery(FileSource):
    """osquery scheduled-query results (filesystem logger, JSON Lines)."""

    name = "osquery"
    kind: SourceKind = "audit"
    obtained = (
        "`/var/log/osquery/osqueryd.results.log` (filesystem logger; the folder is "
        "`--logger_path`) and `osqueryd.snapshots.log` on the host"
    )
    summary = "osquery results log (differential, snapshot and batched JSON lines)"
    reads = (
        "python_packages / npm_packages inventories (artifact, packages, install/uninstall "
        "events), process_events / processes execs, environment variable names (credentials), "
        "credential files in file/hash/yara/file_events results (host credentials)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.lstrip()[:1] != b"{" or not any(k in head for k in _ENVELOPE):
            return False
        return any(k in head for k in (b'"columns"', b'"snapshot"', b'"diffResults"'))

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        data = read_json_items(path, ctx.display)
        builder = _Builder(ctx)
        builder.records.skipped += data.skips(ctx.display)
        rows = [row for line, item in data.items for row in _rows(line, item, builder)]
        for _, _, columns, entry in rows:
            if _table(entry, columns) in _PROCESS_TABLES:
                builder.note_parent(_host(entry, ctx), columns)
        for row in rows:
            builder.add(row)
        return builder.finish()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _rows(line: int, item: dict[str, Any], builder: _Builder) -> list[Row]:
    if isinstance(item.get("columns"), dict):
        return [(line, string(item.get("action")) or "added", item["columns"], item)]
    if isinstance(item.get("snapshot"), list):
        return [(line, "snapshot", r, item) for r in item["snapshot"] if isinstance(r, dict)]
    diff = item.get("diffResults")
    if isinstance(diff, dict):
        return [
            (line, action, r, item)
            for action in ("added", "removed")
            for r in _list(diff.get(action))
            if isinstance(r, dict)
        ]
    builder.skip(line, "osquery line without columns, snapshot or diffResults")
    return []


def _table(entry: dict[str, Any], columns: dict[str, Any]) -> str | None:
    name = (string(entry.get("name")) or "").lower()
    for table in sorted(_KNOWN, key=len, reverse=True):
        if table in name:
            return table
    keys = columns.keys()
    if {"name", "version", "path"} <= keys:
        return "npm_packages" if {"homepage", "description"} & keys else "python_packages"
    if "cmdline" in keys:
        return "process_events" if {"time", "syscall", "env"} & keys else "processes"
    if {"pid", "key", "value"} <= keys:
        return "process_envs"
    return "processes" if {"pid", "path"} <= keys and _PROCESS_COLUMNS & keys else None


def _environment(ecosystem: str, directory: str | None) -> str | None:
    """A Python site-packages directory as its environment prefix (as exec events name it)."""
    if directory is None or ecosystem != "PyPI":
        return directory
    match = _SITE_PACKAGES.match(directory.replace("\\", "/"))
    return (match.group(1) or "/") if match else directory


def _observed(action: str, entry: dict[str, Any]) -> dict[str, Any]:
    detail: dict[str, Any] = {"observed": f"osquery {action}"}
    if string(entry.get("counter")) == "0":  # the first result set: present, not just installed
        detail["initial_inventory"] = True
    return detail


def _host(entry: dict[str, Any], ctx: ParseContext) -> str | None:
    return (
        string(entry.get("hostIdentifier"))
        or string(entry.get("hostname"))  # the legacy envelope's name for it
        or string(dig(entry, "decorations", "hostname"))
        or ctx.host
    )


def _when(entry: dict[str, Any]) -> datetime | None:
    found = epoch(entry.get("unixTime"))
    if found is not None:
        return found
    try:
        parsed = datetime.strptime(str(entry.get("calendarTime")), "%a %b %d %H:%M:%S %Y %Z")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


class _Builder:
    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.records = Records()
        self.artifacts: dict[str, Artifact] = {}
        self.packages: set[tuple[str, str, str | None]] = set()
        self.parents: dict[tuple[str | None, str], tuple[str | None, str]] = {}
        self.sessions: dict[str, Session] = {}
        self.ignored: Counter[str] = Counter()
        self.ignored_line: dict[str, int] = {}

    def skip(self, line: int, reason: str) -> None:
        self.records.skipped.append(Skipped(Origin(self.ctx.display, line), reason))

    def note_parent(self, host: str | None, columns: dict[str, Any]) -> None:
        pid, parent = string(columns.get("pid")), string(columns.get("parent"))
        if pid and parent:
            self.parents[(host, pid)] = (host, parent)

    def add(self, row: Row) -> None:
        line, action, columns, entry = row
        table = _table(entry, columns)
        if table in _PACKAGE_TABLES:
            self._package(line, action, columns, entry, _PACKAGE_TABLES[table])
        elif table in _PROCESS_TABLES or table == "process_envs":
            self._process(line, action, columns, entry, table == "process_envs")
        elif not (action != "removed" and self._credential_file(line, columns, entry)):
            label = table or string(entry.get("name")) or "unknown query"
            self.ignored[label] += 1
            self.ignored_line.setdefault(label, line)

    def _credential_file(self, line: int, columns: dict[str, Any], entry: dict[str, Any]) -> bool:
        """A ``file``/``hash``/``yara``/``file_events`` row naming a credential file: the file
        is on the host, a host-level credential (no session: any process there can read it)."""
        path = string(columns.get("path")) or string(columns.get("target_path"))
        found = classify_path(path) if path and path.startswith("/") else None
        host = _host(entry, self.ctx)
        if found is None or host is None or path is None:
            return False
        self.records.credentials.append(
            Credential(
                name=path,
                kind=found[0],
                harvest_class=found[1],
                origin=Origin(self.ctx.display, line),
                host=host,
                path=path,
                first_seen=epoch(columns.get("time")) or _when(entry),
            )
        )
        return True

    def _package(
        self, line: int, action: str, columns: dict[str, Any], entry: dict[str, Any], ecosystem: str
    ) -> None:
        name, version = string(columns.get("name")), string(columns.get("version"))
        if name is None:
            self.skip(line, f"{ecosystem} package row without a name")
            return
        host, ts, origin = _host(entry, self.ctx), _when(entry), Origin(self.ctx.display, line)
        path = string(columns.get("path"))
        environment = _environment(
            ecosystem,
            string(columns.get("directory"))
            or (posixpath.dirname(path.rstrip("/")) if path else None),
        )
        artifact = self._artifact(host, ecosystem, environment, ts, origin)
        package = canonical(ecosystem, name)
        if action != "removed" and (artifact.key, package, version) not in self.packages:
            self.packages.add((artifact.key, package, version))
            self.records.packages.append(
                Package(
                    artifact_key=artifact.key,
                    ecosystem=ecosystem,
                    name=package,
                    origin=origin,
                    version=version,
                    display_name=name,
                    location=path,
                )
            )
        if action in ("added", "removed") and ts is not None:
            self.records.events.append(
                Event(
                    ts=ts,
                    kind="install" if action == "added" else "uninstall",
                    origin=origin,
                    host=host,
                    ecosystem=ecosystem,
                    package=package,
                    version=version,
                    environment=environment,
                    detail=redact_detail(_observed(action, entry)),
                )
            )

    def _artifact(
        self,
        host: str | None,
        ecosystem: str,
        environment: str | None,
        ts: datetime | None,
        origin: Origin,
    ) -> Artifact:
        key = f"osquery:{host or '-'}:{ecosystem}:{environment or '-'}"
        artifact = self.artifacts.get(key)
        if artifact is None or (ts and (artifact.created_at is None or ts < artifact.created_at)):
            earlier = artifact.origin if artifact else origin
            artifact = self.artifacts[key] = Artifact(
                key=key,
                kind="inventory",
                name=f"{host or '?'}:{environment or ecosystem}",
                origin=earlier,
                created_at=ts,
                host=host,
                environment=environment,
            )
        return artifact

    def _process(
        self, line: int, action: str, columns: dict[str, Any], entry: dict[str, Any], env_row: bool
    ) -> None:
        if action == "removed":
            return  # a process that ended: nothing new ran
        host = _host(entry, self.ctx)
        ts = epoch(columns.get("time")) or epoch(columns.get("start_time")) or _when(entry)
        if ts is None:
            self.skip(line, "osquery process row without a time")
            return
        where = Place(
            ts, Origin(self.ctx.display, line), self._session(host, columns, ts, line), host
        )
        if env_row:
            name, value = string(columns.get("key")), columns.get("value")
            pairs = [(name, value if isinstance(value, str) else None)] if name else []
        else:
            argv = lossy_argv(string(columns.get("cmdline")) or "") or [
                string(columns.get("path")) or ""
            ]
            detail = {
                k: columns[k]
                for k in ("pid", "parent", "path", "cwd", "uid", "auid")
                if string(columns.get(k))
            }
            argv = [a for a in argv if a]
            exe = string(columns.get("path"))
            pairs = list(parse_env_string(string(columns.get("env")) or ""))
            found = exec_events(argv, where, detail, executable=exe, environ=pairs)
            self.records.events.extend(found)
            self.records.credentials.extend(argv_credentials(argv, where, self.ctx))
        self.records.credentials.extend(env_credentials(pairs, where, self.ctx))

    def _session(
        self, host: str | None, columns: dict[str, Any], ts: datetime, line: int
    ) -> str | None:
        pid = string(columns.get("pid"))
        if pid is None:
            return None
        root = process_root(self.parents, (host, pid), frozenset({(host, "0"), (host, "1")}))
        session_id = f"osquery:{host or '-'}:tree:{root[1]}"
        known = self.sessions.get(session_id)
        if known is None or (known.started_at is not None and ts < known.started_at):
            origin = known.origin if known else Origin(self.ctx.display, line)
            self.sessions[session_id] = Session(
                session_id=session_id, origin=origin, host=host, kind="process", started_at=ts
            )
        return session_id

    def finish(self) -> Records:
        self.records.credentials = unique_credentials(self.records.credentials)
        self.records.artifacts.extend(self.artifacts.values())
        self.records.sessions.extend(self.sessions.values())
        for label, count in sorted(self.ignored.items()):
            self.skip(self.ignored_line[label], f"{count} {label} row(s) not used")
        return self.records


SOURCE = Osquery()
