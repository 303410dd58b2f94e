"""SSH identity files a command gives an ssh client, wherever the client is started.

``ssh -i KEY`` / ``scp -i KEY`` / ``sftp -oIdentityFile=KEY`` name a private key the
command uses, whatever its path (``deploy/ci_key.pem`` as much as ``~/.ssh/id_ed25519``).
The client may sit behind a wrapper (``sudo``, ``env``, ``timeout``) or inside another
command's word: ``rsync -e "ssh -i KEY"``, ``GIT_SSH_COMMAND="ssh -i KEY" git ...``,
``git -c core.sshCommand="ssh -i KEY"``, ``bash -c "scp -i KEY ..."``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence

from scoper.model import Credential
from scoper.sources.audit.commands.interpreters import peel
from scoper.sources.audit.commands.parse import split_commands
from scoper.sources.audit.commands.place import Place

SSH_CLIENTS = frozenset({"ssh", "scp", "sftp", "ssh-copy-id", "autossh"})
_PREFIX = re.compile(r"^[\w.-]+=")  # NAME=value, core.sshCommand=value
_MAX_DEPTH = 4
_EMBEDDED = re.compile(r"\b(?:ssh|scp|sftp|autossh)\b")


def identity_files(args: Sequence[str]) -> Iterable[str]:
    """The ``-i KEY``/``-iKEY``/``-o IdentityFile=KEY`` values of one ssh client's args."""
    for index, arg in enumerate(args):
        following = args[index + 1] if index + 1 < len(args) else ""
        glued = arg[2:]
        if arg == "-i" or (arg == "-o" and following.lower().startswith("identityfile")):
            value = following
        elif (arg.startswith("-i") and glued) or (
            arg.startswith("-o") and glued.lower().startswith("identityfile")
        ):
            value = glued
        else:
            continue
        if value.lower().startswith("identityfile"):
            value = value[len("identityfile") :].lstrip(" =")
        if value and not value.startswith("-"):
            yield value


def ssh_key_paths(argv: Sequence[str], depth: int = 0) -> list[str]:
    """Identity files of the ssh clients ``argv`` starts, itself or through its words."""
    found: list[str] = []
    words = peel(argv)
    if words and posixpath.basename(words[0]) in SSH_CLIENTS:
        found += identity_files(words[1:])
    if depth < _MAX_DEPTH:
        for word in argv:
            if _EMBEDDED.search(word) and any(ch in word for ch in " \t\n"):
                prefix = _PREFIX.match(word)
                inner = word[prefix.end() :] if prefix else word
                for simple in split_commands(inner):
                    found += ssh_key_paths(simple, depth + 1)
    return list(dict.fromkeys(found))


def command_ssh_keys(command: str) -> list[str]:
    """Identity files of every ssh client a shell command line starts."""
    if not _EMBEDDED.search(command):
        return []
    found = [path for argv in split_commands(command) for path in ssh_key_paths(argv)]
    return list(dict.fromkeys(found))


def ssh_key_credential(path: str, where: Place) -> Credential:
    """An ``ssh-key`` credential for an identity file in use (by path, never its content)."""
    return Credential(
        name=path,
        kind="ssh-key",
        origin=where.origin,
        harvest_class="ssh",
        session_id=where.session_id,
        host=where.host,
        path=path,
        first_seen=where.ts,
    )
