"""Events and credentials the audit-trail parsers share: executions and environments.

An observed execution becomes one ``exec`` event (redacted command line) plus
one event per fact :mod:`scoper.sources.audit.commands.parse` reads from the argv (an
install, an uninstall, an import...). Environment variables become
:class:`Credential` records by name; values are fingerprinted and dropped here.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from scoper.model import Credential, Event
from scoper.sources.audit.commands import parse as commands
from scoper.sources.audit.commands.argv_secrets import argv_secret_credentials
from scoper.sources.audit.commands.credentials import classify_env, classify_value, key_id_of
from scoper.sources.audit.commands.interpreters import python_start
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_detail
from scoper.sources.audit.commands.ssh_keys import ssh_key_credential, ssh_key_paths
from scoper.sources.base import ParseContext

K = TypeVar("K", bound=Hashable)
_PYTHON = "python"
_FACT_EVENT_KINDS = frozenset(
    {"exec", "install", "uninstall", "import", "network", "file", "env_end"}
)
_SHELL_CODE = frozenset({"-c"})
_INLINE_CODE: dict[str, frozenset[str]] = {
    **dict.fromkeys(("sh", "bash", "dash", "zsh", "ash", "ksh", "python"), _SHELL_CODE),
    "node": frozenset({"-e", "--eval", "-p", "--print"}),
}
_TWO_WORDS = re.compile(r"""\s*(?:'[^']*'|"[^"]*"|\S)+\s+\S+\s+""")
_ENV_ASSIGNMENT = re.compile(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=(?!=)")  # not `pkg==1.0`


def split_command(command: str) -> list[str]:
    """argv from a command line (shell quoting honoured when it is well-formed)."""
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def lossy_argv(command_line: str) -> list[str]:
    """argv from a command line whose quoting was lost (Tetragon, osquery ``cmdline``).

    The code after ``sh -c`` / ``python -c`` / ``node -e`` is one argument, taken
    as written, so ``bash -c pip install x`` keeps ``pip install x`` together.
    """
    argv = split_command(command_line)
    head = _TWO_WORDS.match(command_line)
    if len(argv) < 3 or head is None or not _inline_code_flag(argv[0], argv[1]):
        return argv
    code = command_line[head.end() :].strip()
    quoted = len(argv) == 3 and len(code) > 1 and code[0] == code[-1] and code[0] in "'\""
    return argv if quoted else [argv[0], argv[1], code]


def _inline_code_flag(program: str, flag: str) -> bool:
    flags = _INLINE_CODE.get(commands.program_name(program), frozenset())
    combined = flag.startswith("-") and not flag.startswith("--") and flag.endswith("c")
    return flag in flags or (combined and "-c" in flags)


def exec_events(
    argv: Sequence[str],
    where: Place,
    detail: dict[str, Any],
    executable: str | None = None,
    environ: Sequence[tuple[str, str | None]] = (),
) -> list[Event]:
    """The exec event for ``argv`` and the events of the facts read from it.

    The first ``exec`` fact (the program itself, wrappers such as sudo peeled)
    names the program and its environment; every other fact (installs, imports,
    programs started through ``sh -c``) is an event of its own kind. Without a
    fact the program is the base name of argv[0] (a login shell's ``-`` dropped),
    else of ``executable``. ``environ`` (the process environment, when the trail has it)
    gives installs their ``UV_EXCLUDE_NEWER`` / ``PIP_UPLOADED_PRIOR_TO`` bound.
    """
    if not argv:
        return []
    args = list(argv)
    command = commands.redact_command(" ".join(args))
    facts = commands.facts_from_argv(args)
    head = facts.pop(0) if facts and facts[0].kind == "exec" else None
    named = (head.program if head else None) or _base(args[0])
    program = named.lstrip("-") or _base(executable or "") or None
    cwd = detail.get("cwd")
    events = [
        Event(
            ts=where.ts,
            kind="exec",
            origin=where.origin,
            session_id=where.session_id,
            host=where.host,
            environment=_absolute(head.environment if head else None, cwd) or where.environment,
            program=program,
            command=command,
            interpreter=_PYTHON if python_start(args, executable) else None,
            detail=redact_detail(detail),
        )
    ]
    for fact in facts:
        if fact.kind not in _FACT_EVENT_KINDS:
            continue
        fact = commands.with_bound(fact, environ) if environ else fact
        events.append(
            Event(
                ts=where.ts,
                kind=fact.kind,
                origin=where.origin,
                session_id=where.session_id,
                host=where.host,
                ecosystem=fact.ecosystem,
                package=fact.package,
                version=fact.version,
                spec=fact.spec,
                environment=_absolute(fact.environment, cwd) or where.environment,
                module=fact.module,
                program=fact.program or program,
                command=command,
                interpreter=_PYTHON if fact.kind == "exec" and fact.python else None,
                detail=redact_detail(_fact_detail(fact)),
            )
        )
    return events


def _absolute(environment: str | None, cwd: object) -> str | None:
    """A venv path named relative to the working directory (``.venv/bin/pip``) made absolute."""
    if environment and not environment.startswith("/") and isinstance(cwd, str):
        return posixpath.normpath(posixpath.join(cwd, environment))
    return environment


def _base(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _fact_detail(fact: commands.CommandFact) -> dict[str, Any]:
    detail: dict[str, Any] = {"derived": "command"}  # read from the argv, not observed itself
    if fact.requirement_files:
        detail["requirement_files"] = list(fact.requirement_files)
    if fact.index_urls:
        detail["index_urls"] = [commands.redact_command(url) for url in fact.index_urls]
    if fact.exclude_newer:
        detail["exclude_newer"] = fact.exclude_newer
    if fact.ends:
        detail["action"] = fact.ends
    return detail


def argv_credentials(argv: Sequence[str], where: Place, ctx: ParseContext) -> list[Credential]:
    """Credentials set on the command line (``env NAME=value cmd``, ``NAME=value cmd``)
    and SSH keys in use (``ssh -i KEY``, ``scp -i KEY``, ``-o IdentityFile=KEY``)."""
    keys = ssh_key_credentials(argv, where) + argv_secret_credentials(argv, where, ctx.fingerprint)
    if not any(_ENV_ASSIGNMENT.match(arg) for arg in argv):
        return keys  # cheap check first: most command lines set nothing
    return keys + env_credentials(commands.env_assignments(shlex.join(argv)), where, ctx)


def ssh_key_credentials(argv: Sequence[str], where: Place) -> list[Credential]:
    """An ``ssh-key`` credential (by path, never a value) per identity file an ssh
    client is given, whatever the path: ``ssh -i KEY``, ``sudo scp -i KEY``,
    ``rsync -e 'ssh -i KEY'``, ``GIT_SSH_COMMAND='ssh -i KEY' git ...``."""
    return [ssh_key_credential(path, where) for path in ssh_key_paths(argv)]


def parse_env_string(env: str) -> list[tuple[str, str]]:
    """``NAME=value`` pairs from a space-delimited environment (osquery ``env``)."""
    matches = list(_ENV_ASSIGNMENT.finditer(env))
    pairs: list[tuple[str, str]] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(env)
        pairs.append((match[1], env[match.end() : end]))
    return pairs


def env_credentials(
    pairs: Iterable[tuple[str, str | None]], where: Place, ctx: ParseContext
) -> list[Credential]:
    """A credential per env var that names or holds one; values fingerprinted, never kept."""
    found: list[Credential] = []
    for name, value in pairs:
        if value == "":
            continue
        kind = (classify_env(name) or (None, None))[0]
        if kind is None and value:
            kind = classify_value(value)
        if kind is None:
            continue
        found.append(
            Credential(
                name=name,
                kind=kind,
                origin=where.origin,
                harvest_class="env",
                session_id=where.session_id,
                host=where.host,
                fingerprint=ctx.fingerprint(value) if value else None,
                key_id=key_id_of(kind, value) if value else None,
                first_seen=where.ts,
            )
        )
    return found


def process_root(parents: Mapping[K, K], start: K, stop: frozenset[K] = frozenset()) -> K:
    """The topmost ancestor of ``start`` that has a parent link (cycles and ``stop`` end it)."""
    seen = {start}
    node = start
    while (parent := parents.get(node)) is not None and parent not in stop:
        if parent in seen or parent not in parents:
            break
        seen.add(parent)
        node = parent
    return node


def unique_credentials(credentials: Iterable[Credential]) -> list[Credential]:
    """One credential per (session, host, name, kind, fingerprint, path): the first seen."""
    kept: dict[tuple[str | None, ...], Credential] = {}
    for credential in credentials:
        key = (
            credential.session_id,
            credential.host,
            credential.name,
            credential.kind,
            credential.fingerprint,
            credential.path,
        )
        known = kept.get(key)
        if known is None or _earlier(credential.first_seen, known.first_seen):
            kept[key] = (
                credential
                if known is None
                else replace(known, first_seen=credential.first_seen, origin=credential.origin)
            )
    return list(kept.values())


def _earlier(when: datetime | None, than: datetime | None) -> bool:
    return when is not None and (than is None or when < than)
