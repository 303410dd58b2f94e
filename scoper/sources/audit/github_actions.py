"""GitHub Actions job logs (plain text, every line ``<RFC 3339, 7 digits>Z <message>``).

A step starts at ``##[group]Run <first line>``; its script is echoed (in cyan),
then ``shell:``, and ``with:`` / ``env:`` blocks, until ``##[endgroup]``. What the
step prints follows. The job JSON of the REST API (``<log>.json`` beside the
log, or on its own) gives run id, attempt, runner and times.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Credential, Event, Origin, Records, Session, Skipped
from scoper.names import canonical
from scoper.sources.audit.commands.parse import installed_from_output, program_name
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_detail
from scoper.sources.audit.commands.session_events import (
    Command,
    apply_output,
    command_credentials,
    command_events,
    env_credential,
    shown_command,
    unique_credentials,
)
from scoper.sources.base import FileSource, ParseContext, Source, SourceKind
from scoper.sources.reading import load_json, logical_name, read_head
from scoper.sources.streams import read_lines
from scoper.times import parse_time

_LINE = re.compile(r"^\ufeff?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ?(.*)$", re.DOTALL)
_HEAD = re.compile(rb"^(?:\xef\xbb\xbf)?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ")
_RUNNER = re.compile(r"^(Runner|Machine) name: '([^']+)'")
_DOWNLOAD = re.compile(
    r"Download (?:action repository|immutable action package) '([^'@\s]+)@([^'\s]+)'"
    r"(?: \(SHA:([0-9a-fA-F]{40})\))?"
)
_USES = re.compile(r"\buses:\s*([\w.-]+/[\w./-]+)@([\w./-]+)", re.IGNORECASE)
_SOURCE_SHA = re.compile(r"^Source commit SHA: ([0-9a-fA-F]{40})")
_JOB_KEYS = ("run_id", "runner_name")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_ENTRY = re.compile(r"^  ([^:\s][^:]*):[ \t]?(.*)$")
_ACTION = re.compile(r"^([\w.-]+/[\w.-]+)((?:/[^@\s]+)?)@(\S+)$")
ACTIONS = "GitHub Actions"


def action_event(ref: str, version: str, sha: str | None, place: Place) -> Event:
    """An action used by the job, as an exec event of package ``owner/repo``."""
    parts = ref.split("/")
    owner_repo, path = "/".join(parts[:2]), "/".join(parts[2:])
    detail = {"sha": sha.lower()} if sha else {}
    if path:
        detail["path"] = path
    return Event(
        ts=place.ts,
        kind="exec",
        origin=place.origin,
        session_id=place.session_id,
        host=place.host,
        ecosystem=ACTIONS,
        package=canonical(ACTIONS, owner_repo),
        version=version,
        detail=redact_detail(detail),
    )


@dataclass(slots=True)
class _Step:
    """A ``##[group]Run ...`` step: its header (script, shell, with/env) and install output."""

    run: str
    place: Place
    script: list[str] = field(default_factory=list)
    shell: str | None = None
    block: str | None = "script"
    env: dict[str, tuple[str, Place]] = field(default_factory=dict)
    inputs: dict[str, tuple[str, Place]] = field(default_factory=dict)
    outputs: list[tuple[str, str, Place]] = field(default_factory=list)
    header_open: bool = True

    def header_line(self, text: str, place: Place) -> None:
        entry = _ENTRY.match(text)
        if text.startswith("##[endgroup]"):
            self.header_open = False
        elif self.block == "script" and text.startswith("shell: "):
            self.shell, self.block = text[len("shell: ") :].strip(), None
        elif text.strip() in ("env:", "with:"):
            self.block = text.strip()[:-1]
        elif self.block in ("env", "with") and entry is not None:
            block = self.env if self.block == "env" else self.inputs
            block[entry.group(1)] = (entry.group(2), place)
        elif self.block == "script":
            self.script.append(_ANSI.sub("", text))

    def command(self) -> Command | None:
        """The step's script (Python code for ``shell: python``), None for an action."""
        if self.script:
            script = "\n".join(self.script)
            shell = self.shell.split()[0] if self.shell else ""
            return [shell, "-c", script] if program_name(shell) == "python" else script
        if _ACTION.match(self.run) or self.run.startswith(("./", "docker://")):
            return None
        return self.run

    def finish(
        self, shas: dict[tuple[str | None, str | None], Any], fingerprint: Callable[[str], str]
    ) -> tuple[list[Event], list[Credential]]:
        hint = (self.env.get("VIRTUAL_ENV") or self.env.get("pythonLocation") or ("",))[0]
        place = replace(self.place, environment=hint or None)
        found = [env_credential(n, v, at, fingerprint) for n, (v, at) in self.env.items()]
        found += [
            env_credential(n, v, at, fingerprint, "process-memory")
            for n, (v, at) in self.inputs.items()
        ]
        credentials = [c for c in found if c is not None]
        command = self.command()
        if command is None:
            action = _ACTION.match(self.run)
            events = []
            if action:
                name, version = action.group(1) + action.group(2), action.group(3)
                sha = shas.get((canonical(ACTIONS, action.group(1)), version))
                events.append(action_event(name, version, sha, place))
            return apply_output(events, self.outputs, None), credentials
        events = command_events(command, place)
        credentials += command_credentials(command, place, fingerprint)
        return apply_output(events, self.outputs, shown_command(command)), credentials


@dataclass(slots=True)
class _Job:
    """Metadata of one job: from the REST JSON when given, else from the log."""

    session_id: str
    host: str | None = None
    started: datetime | None = None
    ended: datetime | None = None
    runner: dict[str, str] = field(default_factory=dict)


def _job_from_json(data: Any, fallback: str) -> _Job:
    if not isinstance(data, dict):
        return _Job(fallback)
    job_id, run_id = data.get("id"), data.get("run_id")
    session_id = fallback
    if job_id is not None and run_id is not None:
        session_id = f"gha:{run_id}:{data.get('run_attempt') or 1}:{job_id}"
    host = data.get("runner_name")
    return _Job(
        session_id,
        host if isinstance(host, str) and host else None,
        parse_time(data.get("started_at")),
        parse_time(data.get("completed_at")),
    )


class _JobLog:
    """The state of one job log being read."""

    def __init__(self, ctx: ParseContext, job: _Job) -> None:
        self.ctx, self.job = ctx, job
        self.records = Records()
        self.step: _Step | None = None
        self.first: datetime | None = None
        self.last: datetime | None = None

    def place(self, ts: datetime, line: int) -> Place:
        host = self.job.host or self.job.runner.get("Runner") or self.job.runner.get("Machine")
        return Place(ts, Origin(self.ctx.display, line), self.job.session_id, host or self.ctx.host)

    def read(self, text: str) -> None:
        for number, raw in enumerate(text.split("\n"), start=1):
            if not raw.strip():
                continue
            match = _LINE.match(raw.rstrip("\r"))
            ts = parse_time(match.group(1)) if match else None
            if match is None or ts is None:
                self.records.skipped.append(
                    Skipped(Origin(self.ctx.display, number), "line without a valid timestamp")
                )
                continue
            self.first, self.last = self.first or ts, ts
            self.message(match.group(2), ts, number)
        self.close_step()

    def message(self, text: str, ts: datetime, line: int) -> None:
        if text.startswith("##[group]Run "):
            self.close_step()
            self.step = _Step(text[len("##[group]Run ") :].strip(), self.place(ts, line))
        elif self.step is not None and self.step.header_open:
            self.step.header_line(text, self.place(ts, line))
        elif (runner := _RUNNER.match(text)) is not None:
            self.job.runner.setdefault(runner.group(1), runner.group(2))
        elif text.startswith("##[group]GITHUB_TOKEN Permissions"):
            found = env_credential(
                "GITHUB_TOKEN",
                None,
                self.place(ts, line),
                self.ctx.fingerprint,
                harvest_class="process-memory",
            )
            self.records.credentials += [found] if found else []
        else:
            self.output(text, ts, line)

    def output(self, text: str, ts: datetime, line: int) -> None:
        place = self.place(ts, line)
        for pattern in (_DOWNLOAD, _USES):
            if (ref := pattern.search(text)) is not None:
                sha = ref.group(3) if pattern is _DOWNLOAD else None
                self.records.events.append(action_event(ref.group(1), ref.group(2), sha, place))
                return
        if (source := _SOURCE_SHA.match(text)) is not None and self.records.events:
            self.records.events[-1].detail.setdefault("sha", source.group(1).lower())
        elif self.step is not None:
            self.step.outputs += [(n, v, place) for n, v in installed_from_output(text)]

    def close_step(self) -> None:
        if self.step is not None:
            shas = {
                (e.package, e.version): e.detail.get("sha")
                for e in self.records.events
                if e.ecosystem == ACTIONS
            }
            events, credentials = self.step.finish(shas, self.ctx.fingerprint)
            self.records.events += events
            self.records.credentials += credentials
            self.step = None

    def finish(self, display_line: int | None = 1) -> Records:
        host = self.job.host or self.job.runner.get("Runner") or self.job.runner.get("Machine")
        session = _session(self.job, self.ctx, host, self.first, self.last, display_line)
        self.records.sessions.append(session)
        self.records.credentials = unique_credentials(self.records.credentials)
        return self.records


def _session(
    job: _Job,
    ctx: ParseContext,
    host: str | None,
    first: datetime | None,
    last: datetime | None,
    line: int | None,
) -> Session:
    return Session(
        session_id=job.session_id,
        origin=Origin(ctx.display, line),
        host=host or ctx.host,
        kind="ci",
        started_at=job.started or first,
        ended_at=job.ended or last,
    )


class GitHubActionsSource(FileSource):
    """GitHub Actions job logs, with the job's REST JSON when it sits beside the log."""

    name = "github-actions-log"
    kind: SourceKind = "audit"
    summary = "GitHub Actions job log (timestamped text), optionally with the job JSON"
    reads = (
        "one session per job (gha:<run_id>:<attempt>:<job id>, runner as host, start/end); "
        "Run step scripts as exec/install/import events; pip/uv/poetry output lines as "
        "installs with versions; actions used (owner/repo@ref, SHA); secrets named in step "
        "env:/with: blocks and masked *** values (names only)"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        name = logical_name(path)
        if name.endswith((".log", ".txt")):
            return _HEAD.match(head) is not None
        return name.endswith(".json") and all(k.encode() in head for k in _JOB_KEYS)

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        name = logical_name(path)
        if name.endswith(".json"):
            return self._parse_json(path, ctx)
        other = _other_shape(path)
        if other is not None:  # --format github-actions-log on an archive or gh output
            return other.parse(path, ctx)
        lines = read_lines(path, ctx.display)
        text = lines.text
        if not any(_LINE.match(line) for line in text.split("\n", 20)[:20]):
            raise InputError(
                ctx.display, "not a GitHub Actions log (no timestamped lines)", "line 1"
            )
        job, skipped = self._side_json(path, ctx, name)
        log = _JobLog(ctx, job)
        log.records.skipped += skipped
        log.records.skipped += [Skipped(Origin(ctx.display, n), why) for n, why in lines.bad]
        log.read(text)
        return log.finish()

    def _side_json(self, path: Path, ctx: ParseContext, name: str) -> tuple[_Job, list[Skipped]]:
        fallback = "gha:" + re.sub(r"\.(log|txt)$", "", name)
        side = path.with_name(path.name + ".json")
        if not side.is_file():
            return _Job(fallback), []
        shown = ctx.display + ".json"
        try:
            return _job_from_json(load_json(side, shown), fallback), []
        except InputError as exc:
            return _Job(fallback), [Skipped(Origin(shown, None), f"job JSON unusable: {exc}")]

    def _parse_json(self, path: Path, ctx: ParseContext) -> Records:
        data = load_json(path, ctx.display)
        log = path.with_name(path.name.removesuffix(".json"))
        if log.is_file() and log.suffix in (".log", ".txt"):
            note = f"job JSON read together with the log it describes, {log.name}"
            return Records(skipped=[Skipped(Origin(ctx.display, None), note, informational=True)])
        jobs = data.get("jobs") if isinstance(data, dict) and "jobs" in data else [data]
        if not isinstance(jobs, list) or not all(isinstance(j, dict) for j in jobs):
            raise InputError(ctx.display, "not a GitHub Actions job object", "jobs")
        records = Records()
        for index, item in enumerate(jobs):
            job = _job_from_json(item, f"gha:{logical_name(path)}#{index}")
            records.sessions.append(_session(job, ctx, job.host, None, None, None))
        return records


def _other_shape(path: Path) -> Source | None:
    """The reader of the run-log archive or ``gh run view --log`` output that ``path`` is."""
    from scoper.sources.audit import gh_run_log, github_actions_archive  # they import this

    head = read_head(path)
    for other in (github_actions_archive.SOURCE, gh_run_log.SOURCE):
        if other.sniff(path, head):
            return other
    return None


SOURCE = GitHubActionsSource()
