"""Shared by the audit-trail parsers: commands -> Events, names -> Credentials, sessions.

GitHub Actions logs, Claude Code and Codex transcripts and OTel traces all see
shell commands run inside a session, sometimes with their output. This module
turns a command (and the versions its output reports) into :class:`Event`
records, environment variable names and credential files into
:class:`Credential` records (values fingerprinted, never kept), and collects
session start/end times.
"""

from __future__ import annotations

import json
import posixpath
import shlex
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from scoper.errors import InputError
from scoper.model import Credential, Event, Origin, Records, Session, Skipped
from scoper.sources.audit.commands.argv_secrets import argv_secret_credentials
from scoper.sources.audit.commands.credentials import (
    classify_env,
    classify_path,
    classify_value,
    key_id_of,
)
from scoper.sources.audit.commands.parse import (
    CommandFact,
    env_assignments,
    facts_from_argv,
    facts_from_command,
    installed_from_output,
    redact_command,
    split_commands,
)
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_detail
from scoper.sources.audit.commands.ssh_keys import command_ssh_keys, ssh_key_credential
from scoper.sources.streams import Lines

MASKED = "***"
Command = str | Sequence[str]


def json_lines(text: str, display: str, skipped: list[Skipped]) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` per JSON line; bad lines go to ``skipped``."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            skipped.append(Skipped(Origin(display, number), f"invalid JSON: {exc.msg}"))
        except (ValueError, RecursionError):
            skipped.append(Skipped(Origin(display, number), "invalid JSON"))


class LineReader(Protocol):
    """A transcript being read line by line (Claude Code, Codex)."""

    records: Records

    def read_line(self, line: int, record: Any) -> bool: ...

    def finish(self) -> Records: ...


def read_transcript(lines: Lines, display: str, reader: LineReader, what: str) -> Records:
    """Feed every JSON line to ``reader``; a file with no record of its kind is an error."""
    good = bad = 0
    reader.records.skipped += [Skipped(Origin(display, n), why) for n, why in lines.bad]
    for line, record in json_lines(lines.text, display, reader.records.skipped):
        if reader.read_line(line, record):
            good += 1
        else:
            bad += 1
    if not good and (bad or reader.records.skipped):
        raise InputError(display, f"no {what} record found", "line 1")
    return reader.finish()


def shown_command(command: Command) -> str:
    """The command as one redacted line of text."""
    text = command if isinstance(command, str) else shlex.join([str(a) for a in command])
    return redact_command(text)


def _environment(fact_env: str | None, place: Place) -> str | None:
    if fact_env and place.cwd and not fact_env.startswith(("/", "~")):
        return posixpath.normpath(posixpath.join(place.cwd, fact_env))
    return fact_env or place.environment


def fact_event(fact: CommandFact, place: Place, shown: str) -> Event:
    """One command fact as an Event at ``place``."""
    detail: dict[str, Any] = {}
    if fact.requirement_files:
        detail["requirement_files"] = list(fact.requirement_files)
    if fact.index_urls:
        detail["index_urls"] = list(fact.index_urls)
    if fact.exclude_newer:
        detail["exclude_newer"] = fact.exclude_newer
    if fact.ends:
        detail["action"] = fact.ends
    return Event(
        ts=place.ts,
        kind=fact.kind,
        origin=place.origin,
        session_id=place.session_id,
        host=place.host,
        ecosystem=fact.ecosystem,
        package=fact.package,
        version=fact.version,
        spec=fact.spec,
        environment=_environment(fact.environment, place),
        module=fact.module,
        program=fact.program,
        command=shown,
        interpreter="python" if fact.kind == "exec" and fact.python else None,
        detail=redact_detail(detail),
    )


def command_events(
    command: Command, place: Place, output: str | None = None, output_place: Place | None = None
) -> list[Event]:
    """Events of a command; versions its ``output`` reports fill unpinned installs."""
    if isinstance(command, str):
        facts = facts_from_command(command)
    else:
        facts = facts_from_argv([str(a) for a in command])
    shown = shown_command(command)
    events = [fact_event(fact, place, shown) for fact in facts]
    if not output:
        return events
    where = output_place or place
    return apply_output(events, [(n, v, where) for n, v in installed_from_output(output)])


def apply_output(
    events: list[Event], found: Sequence[tuple[str, str, Place]], shown: str | None = None
) -> list[Event]:
    """Give unpinned installs the version the output reports; add the other packages installed.

    An install with a spec but no version becomes that version with detail
    ``resolved_from: output``; packages only the output names (dependencies,
    or installs a build script ran) become install events of their own at the
    output's place, in the installing command's environment when there is one.
    """
    if not found:
        return events
    installs = [e for e in events if e.kind == "install" and e.ecosystem == "PyPI"]
    versions = {name: (version, where) for name, version, where in found}  # last one wins
    result = [_resolved(e, versions) if e in installs else e for e in events]
    named = {e.package for e in installs}
    model = installs[-1] if installs else None
    for name, (version, where) in versions.items():
        if name in named:
            continue
        result.append(
            Event(
                ts=where.ts,
                kind="install",
                origin=where.origin,
                session_id=where.session_id,
                host=where.host,
                ecosystem="PyPI",
                package=name,
                version=version,
                environment=model.environment if model else where.environment,
                program=model.program if model else None,
                command=model.command if model else shown,
                detail={"resolved_from": "output"},
            )
        )
    return result


def _resolved(event: Event, versions: dict[str, tuple[str, Place]]) -> Event:
    found = versions.get(event.package or "")
    if event.version is not None or found is None:
        return event
    detail = {**event.detail, "resolved_from": "output", "output_line": found[1].origin.line}
    return replace(event, version=found[0], detail=detail)


# --------------------------------------------------------------------------- credentials


def env_credential(
    name: str,
    value: str | None,
    place: Place,
    fingerprint: Callable[[str], str],
    harvest_class: str | None = None,
) -> Credential | None:
    """A credential for an env var when its name, its value's shape or a ``***`` mask says so.

    The value is only fingerprinted (and an AWS key id kept); it is never stored.
    """
    real = value if value and value != MASKED and not value.startswith("$") else None
    found = classify_env(name)
    if found is None and real and (shape := classify_value(real)):
        found = (shape, "env")
    if found is None and value != MASKED:
        return None
    kind, harvest = found or ("generic-secret", "env")
    return Credential(
        name=name,
        kind=kind,
        origin=place.origin,
        harvest_class=harvest_class or harvest,
        session_id=place.session_id,
        host=place.host,
        fingerprint=fingerprint(real) if real else None,
        key_id=key_id_of(kind, real) if real else None,
        first_seen=place.ts,
    )


def path_credential(path: str, place: Place) -> Credential | None:
    """A credential for a file that holds one (``~/.aws/credentials``, ``.env``, ...)."""
    found = classify_path(path)
    if found is None:
        return None
    full = _environment(path, place) or path
    return Credential(
        name=full,
        kind=found[0],
        origin=place.origin,
        harvest_class=found[1],
        session_id=place.session_id,
        host=place.host,
        path=full,
        first_seen=place.ts,
    )


def command_credentials(
    command: Command, place: Place, fingerprint: Callable[[str], str]
) -> list[Credential]:
    """Credentials a command shows: ``export TOKEN=...``, ``cat ~/.aws/credentials``."""
    text = command if isinstance(command, str) else shlex.join([str(a) for a in command])
    found = [env_credential(n, v, place, fingerprint) for n, v in env_assignments(text)]
    words = [w for argv in split_commands(text) for w in argv[1:] if "/" in w or w[:1] == "."]
    found += [path_credential(word, place) for word in words]
    found += [_ssh_key(path, place) for path in command_ssh_keys(text)]
    found += [
        c
        for argv in split_commands(text)
        for c in argv_secret_credentials(argv, place, fingerprint)
    ]
    return [credential for credential in found if credential is not None]


def _ssh_key(path: str, place: Place) -> Credential:
    """An identity file given to ssh/scp (``-i KEY``), whatever its path."""
    return ssh_key_credential(_environment(path, place) or path, place)


def unique_credentials(credentials: Iterable[Credential]) -> list[Credential]:
    """First sighting per (session, host, name, path, harvest class)."""
    seen: dict[tuple[str | None, ...], Credential] = {}
    for credential in credentials:
        key = (
            credential.session_id,
            credential.host,
            credential.name,
            credential.path,
            credential.harvest_class,
        )
        seen.setdefault(key, credential)
    return list(seen.values())


# --------------------------------------------------------------------------- sessions


@dataclass(slots=True)
class _Seen:
    origin: Origin
    started: datetime | None = None
    ended: datetime | None = None
    fields: dict[str, Any] = field(default_factory=dict)


class SessionTracker:
    """Collects per-session first line, earliest and latest time, and fixed fields."""

    def __init__(self, display: str) -> None:
        self._display = display
        self._seen: dict[str, _Seen] = {}

    def see(self, session_id: str, line: int | None, ts: datetime | None, **fields: Any) -> None:
        """Note a sighting; the first non-None value of each field wins."""
        seen = self._seen.setdefault(session_id, _Seen(Origin(self._display, line)))
        if ts is not None:
            seen.started = min(seen.started or ts, ts)
            seen.ended = max(seen.ended or ts, ts)
        for key, value in fields.items():
            if value is not None and seen.fields.get(key) is None:
                seen.fields[key] = value

    def __contains__(self, session_id: object) -> bool:
        return session_id in self._seen

    def sessions(self) -> list[Session]:
        return [
            Session(
                session_id=sid,
                origin=seen.origin,
                started_at=seen.started,
                ended_at=seen.ended,
                **seen.fields,
            )
            for sid, seen in self._seen.items()
        ]
