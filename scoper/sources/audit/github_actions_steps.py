"""One ``##[group]Run …`` step of a GitHub Actions job log: its header and its output.

A step's header echoes its script (in cyan), then ``shell:``, and ``with:`` / ``env:``
blocks, until ``##[endgroup]``. What the step prints follows; installer output lines
there are install events (``github_actions_installs``) whether or not the step's
command line says what it installs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from scoper.model import Credential, Event, IdentityLink
from scoper.names import canonical
from scoper.sources.audit.commands.identities import printed_links
from scoper.sources.audit.commands.installer_lines import installs_in_line
from scoper.sources.audit.commands.parse import program_name
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_detail
from scoper.sources.audit.commands.session_events import (
    Command,
    command_credentials,
    command_events,
    env_credential,
    shown_command,
)
from scoper.sources.audit.github_actions_installs import Found, merge_output

ACTIONS = "GitHub Actions"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_ENTRY = re.compile(r"^  ([^:\s][^:]*):[ \t]?(.*)$")
ACTION = re.compile(r"^([\w.-]+/[\w.-]+)((?:/[^@\s]+)?)@(\S+)$")


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


PRINTED_LINES = 2000  # a step's output lines kept for printed identities


def output_installs(text: str, place: Place) -> list[Found]:
    """The install lines of one output line, each at that line's place."""
    return [(found, place) for found in installs_in_line(text)]


@dataclass(slots=True)
class Step:
    """A ``##[group]Run ...`` step: its header (script, shell, with/env) and install output."""

    run: str
    place: Place
    script: list[str] = field(default_factory=list)
    shell: str | None = None
    block: str | None = "script"
    env: dict[str, tuple[str, Place]] = field(default_factory=dict)
    inputs: dict[str, tuple[str, Place]] = field(default_factory=dict)
    outputs: list[Found] = field(default_factory=list)
    printed: list[tuple[str, Place]] = field(default_factory=list)  # output, for identities
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

    def printed_links(self) -> list[IdentityLink]:
        """Who the step's commands printed they are (``aws sts get-caller-identity``...)."""
        command = self.command()
        if command is None or not self.printed:
            return []
        lines = [text for text, _ in self.printed]
        return printed_links(command, lines, self.place, [at for _, at in self.printed])

    def persists_token(self) -> bool:
        """``actions/checkout`` writes the job's token into ``.git/config`` unless told not to."""
        persist = self.inputs.get("persist-credentials", ("true",))[0].strip().lower()
        return self.run.startswith("actions/checkout@") and persist != "false"

    def is_default_checkout(self) -> bool:
        """``actions/checkout`` without a ``ref`` input: it fetches the job's own ref."""
        return self.run.startswith("actions/checkout@") and not self.inputs.get("ref", ("",))[0]

    def command(self) -> Command | None:
        """The step's script (Python code for ``shell: python``), None for an action."""
        if self.script:
            script = "\n".join(self.script)
            shell = self.shell.split()[0] if self.shell else ""
            return [shell, "-c", script] if program_name(shell) == "python" else script
        if ACTION.match(self.run) or self.run.startswith(("./", "docker://")):
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
        outputs = [(line, replace(at, environment=hint or None)) for line, at in self.outputs]
        if command is None:
            action = ACTION.match(self.run)
            events = []
            if action:
                name, version = action.group(1) + action.group(2), action.group(3)
                sha = shas.get((canonical(ACTIONS, action.group(1)), version))
                events.append(action_event(name, version, sha, place))
            return merge_output(events, outputs, None), credentials
        events = command_events(command, place)
        credentials += command_credentials(command, place, fingerprint)
        return merge_output(events, outputs, shown_command(command)), credentials
