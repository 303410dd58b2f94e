"""Host-resident credentials: a credential file seen on a host, whoever saw it.

A file a session read or an audit rule watched is on the host's disk: any process on
that host can read it, not only the session that was seen touching it. Readers keep
their per-session row and add a host-level one (``session_id=None``) per (host, path),
the earliest sighting first. A transcript's directory listing that shows ``.env``
(``ls -la``, ``find . -name '.env*'``) is such a sighting too.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import replace

from scoper.model import Credential
from scoper.sources.audit.commands.credentials import classify_path
from scoper.sources.audit.commands.parse import program_name, split_commands
from scoper.sources.audit.commands.place import Place

_LISTERS = frozenset({"ls", "find", "fd", "fdfind", "tree", "git", "rg", "locate", "du"})
_TREE_MARKS = "│├└─`|- \t"


def host_copies(
    credentials: Iterable[Credential], kinds: frozenset[str] | None = None
) -> list[Credential]:
    """One host-level row per (host, path) of the file credentials seen on a known host
    (of ``kinds`` only, when given): the earliest sighting's time and line."""
    kept: dict[tuple[str, str], Credential] = {}
    for credential in credentials:
        if credential.host is None or credential.path is None or credential.fingerprint:
            continue
        if kinds is not None and credential.kind not in kinds:
            continue
        key = (credential.host, credential.path)
        known = kept.get(key)
        if known is None or _earlier(credential, known):
            kept[key] = replace(credential, session_id=None)
    return list(kept.values())


def _earlier(credential: Credential, than: Credential) -> bool:
    when, known = credential.first_seen, than.first_seen
    return when is not None and (known is None or when < known)


def listed_dotenv(command: str, output: str, place: Place) -> list[Credential]:
    """Host-level ``dotenv`` credentials for ``.env`` files a listing command's output shows
    (``ls`` names relative to the listed folder, ``find``/``fd``/``git ls-files`` paths
    relative to the working directory); nothing without a host or an absolute folder."""
    if place.host is None or ".env" not in output:
        return []
    found: list[str] = []
    for argv in split_commands(command):
        name = program_name(argv[0])
        if name not in _LISTERS:
            continue
        folders = [a for a in argv[1:] if not a.startswith("-")] if name == "ls" else []
        base = _join(place.cwd, folders[0] if folders else ".") if len(folders) < 2 else None
        for line in output.split("\n"):
            words = line.split() if name == "ls" else [line.strip(_TREE_MARKS)]
            for word in words:
                if ("/" in word and name == "ls") or _kind(word) != "dotenv":
                    continue
                folder = place.cwd if word in folders or name not in ("ls", "tree") else base
                found += [path] if (path := _join(folder, word)) else []
    return [
        Credential(
            name=path,
            kind="dotenv",
            origin=place.origin,
            harvest_class="dotenv",
            host=place.host,
            path=path,
            first_seen=place.ts,
        )
        for path in dict.fromkeys(found)
    ]


def _kind(word: str) -> str | None:
    found = classify_path(word)
    return found[0] if found else None


def _join(folder: str | None, name: str) -> str | None:
    if name.startswith("/"):
        return posixpath.normpath(name)
    if folder is None or not folder.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(folder, name))
