"""GitHub Actions job logs (plain text, every line ``<RFC 3339, 7 digits>Z <message>``).

A job log is one session, named as GitHub names it (``github_actions_job``): the job JSON
of the REST API (``<log>.json`` beside the log, or on its own) gives run id, attempt, job
id and runner; the log's "Set up job" section gives repository, ref, job name, runner and
``GITHUB_TOKEN`` permissions. ``##[group]Run`` steps (``github_actions_steps``) give
commands, installs, actions and secret names; installer output lines are installs even
where the command line is not in the log.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import Event, Origin, Records, Session, Skipped
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.session_events import unique_credentials
from scoper.sources.audit.github_actions_installs import Found, merge_output
from scoper.sources.audit.github_actions_job import JobFacts, job_holds
from scoper.sources.audit.github_actions_steps import (
    ACTIONS,
    PRINTED_LINES,
    Step,
    action_event,
    output_installs,
)
from scoper.sources.base import FileSource, ParseContext, Source, SourceKind, file_sha256
from scoper.sources.reading import load_json, logical_name, read_head
from scoper.sources.streams import read_lines
from scoper.times import parse_time

_LINE = re.compile(r"^\ufeff?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ?(.*)$", re.DOTALL)
_HEAD = re.compile(rb"^(?:\xef\xbb\xbf)?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ")
_DOWNLOAD = re.compile(
    r"Download (?:action repository|immutable action package) '([^'@\s]+)@([^'\s]+)'"
    r"(?: \(SHA:([0-9a-fA-F]{40})\))?"
)
_USES = re.compile(r"\buses:\s*([\w.-]+/[\w./-]+)@([\w./-]+)", re.IGNORECASE)
_SOURCE_SHA = re.compile(r"^Source commit SHA: ([0-9a-fA-F]{40})")
_JOB_KEYS = ("run_id", "runner_name")
_PENDING = "\x00job"  # the session id until the whole job is read
EVIDENCE_CHARS = 16


def _event_key(event: Event) -> tuple[Any, ...]:
    return (
        event.ts,
        event.kind,
        event.ecosystem,
        event.package,
        event.version,
        event.module,
        event.program,
        event.command,
    )


class JobLog:
    """The state of one job being read, from one or more texts (job file, step files)."""

    def __init__(self, ctx: ParseContext, facts: JobFacts, evidence: str) -> None:
        self.ctx, self.facts, self.evidence = ctx, facts, evidence
        self.records = Records()
        self.step: Step | None = None
        self.loose: list[Found] = []
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.first_origin: Origin | None = None

    def place(self, ts: datetime, line: int) -> Place:
        return Place(ts, Origin(self.ctx.display, line), _PENDING, self.facts.host or self.ctx.host)

    def read(self, text: str, again: bool = False) -> None:
        """Read one text; ``again``: it repeats lines already read (a step file beside its
        job file), so only events not already seen are kept."""
        seen = {_event_key(e) for e in self.records.events} if again else set()
        start = len(self.records.events)
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
            self.first, self.last = self.first or ts, max(self.last or ts, ts)
            self.first_origin = self.first_origin or Origin(self.ctx.display, number)
            self.message(match.group(2), ts, number)
        self.close_step()
        if again:
            new = self.records.events[start:]
            self.records.events[start:] = [e for e in new if _event_key(e) not in seen]

    def message(self, text: str, ts: datetime, line: int) -> None:
        place = self.place(ts, line)
        if text.startswith("##[group]Run "):
            self.close_step()
            self.step = Step(text[len("##[group]Run ") :].strip(), place)
        elif self.step is not None and self.step.header_open:
            self.step.header_line(text, place)
        elif not self.facts.line(text, place):
            self.output(text, place)

    def output(self, text: str, place: Place) -> None:
        for pattern in (_DOWNLOAD, _USES):
            if (ref := pattern.search(text)) is not None:
                sha = ref.group(3) if pattern is _DOWNLOAD else None
                self.records.events.append(action_event(ref.group(1), ref.group(2), sha, place))
                return
        if (source := _SOURCE_SHA.match(text)) is not None and self.records.events:
            self.records.events[-1].detail.setdefault("sha", source.group(1).lower())
            return
        if self.step is not None and self.step.is_default_checkout():
            self.facts.checkout_line(text)
        found = output_installs(text, place)
        if self.step is not None:
            self.step.outputs += found
            if len(self.step.printed) < PRINTED_LINES:
                self.step.printed.append((text, place))
        else:
            self.loose += found

    def close_step(self) -> None:
        if self.loose:
            self.records.events += merge_output([], self.loose, None)
            self.loose = []
        if self.step is not None:
            shas = {
                (e.package, e.version): e.detail.get("sha")
                for e in self.records.events
                if e.ecosystem == ACTIONS
            }
            events, credentials = self.step.finish(shas, self.ctx.fingerprint)
            self.records.events += events
            self.records.credentials += credentials
            self.records.identity_links += self.step.printed_links()
            self.facts.token_persisted |= self.step.persists_token()
            self.step = None

    def finish(self, line: int | None = None) -> Records:
        """The job's records, every one under the session id the whole job gives."""
        facts, records = self.facts, self.records
        sid = facts.session_id(self.evidence)
        host = facts.host or self.ctx.host
        first = self.first_origin or Origin(self.ctx.display, line)
        origin = Origin(first.file, line) if line is not None else first
        records.sessions.append(
            Session(
                session_id=sid,
                origin=origin,
                host=host,
                kind="ci",
                started_at=facts.started or self.first,
                ended_at=facts.ended or self.last,
            )
        )
        held = job_holds(facts, sid, host, origin)
        records.events = [_own(e, sid, host) for e in records.events] + held.events
        records.credentials = unique_credentials(
            held.credentials + [_own(c, sid, host) for c in records.credentials]
        )
        records.identity_links = [
            replace(k, session_id=sid, host=None) for k in records.identity_links
        ] + held.links
        if not facts.complete():
            missing = ", ".join(facts.missing())
            note = f"no {missing} in this input: job session id qualified by its content ({sid})"
            records.skipped.append(Skipped(origin, note, informational=True))
        return records


def _own(record: Any, sid: str, host: str | None) -> Any:
    if record.session_id != _PENDING:
        return record
    return replace(record, session_id=sid, host=record.host or host)


def evidence_of(path: Path) -> str:
    """The evidence identity that qualifies an incomplete session id (sha256 prefix)."""
    return file_sha256(path)[:EVIDENCE_CHARS]


class GitHubActionsSource(FileSource):
    """GitHub Actions job logs, with the job's REST JSON when it sits beside the log."""

    name = "github-actions-log"
    kind: SourceKind = "audit"
    obtained = (
        "Actions UI: a job's log, gear menu > View raw logs; or `gh api "
        "repos/OWNER/REPO/actions/jobs/JOB_ID/logs > job.log` (the API redirects to the plain-"
        "text log)"
    )
    summary = "GitHub Actions job log (timestamped text), optionally with the job JSON"
    reads = (
        "one session per job (github:<owner>/<repo>/runs/<run>/attempts/<n>/jobs/<job id or "
        "name>, parts from the job JSON and the Set up job section, else qualified by the "
        "input's sha256; runner as host, start/end); GITHUB_TOKEN with its permissions, the "
        "OIDC request token and its subject when IdToken: write; Run step scripts as "
        "exec/install/import events; pip/uv/poetry/pdm output lines as installs with "
        "versions; actions used (owner/repo@ref, SHA); secrets named in step env:/with: "
        "blocks and masked *** values (names only)"
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
        facts = JobFacts(re.sub(r"^\d+_|\.(log|txt)$", "", name))
        log = JobLog(ctx, facts, evidence_of(path))
        log.records.skipped += self._side_json(path, ctx, facts)
        log.records.skipped += [Skipped(Origin(ctx.display, n), why) for n, why in lines.bad]
        log.read(text)
        return log.finish(1)

    def _side_json(self, path: Path, ctx: ParseContext, facts: JobFacts) -> list[Skipped]:
        side = path.with_name(path.name + ".json")
        if not side.is_file():
            return []
        shown = ctx.display + ".json"
        try:
            facts.take_json(load_json(side, shown))
        except InputError as exc:
            return [Skipped(Origin(shown, None), f"job JSON unusable: {exc}")]
        return []

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
        evidence = evidence_of(path)
        for index, item in enumerate(jobs):
            facts = JobFacts(f"{logical_name(path)}#{index}")
            facts.take_json(item)
            sid, origin = facts.session_id(evidence), Origin(ctx.display, None)
            records.credentials += job_holds(facts, sid, facts.host or ctx.host, origin).credentials
            records.sessions.append(
                Session(
                    session_id=sid,
                    origin=Origin(ctx.display, None),
                    host=facts.host or ctx.host,
                    kind="ci",
                    started_at=facts.started,
                    ended_at=facts.ended,
                )
            )
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
