"""Secret values a command printed from a ``.env`` file (``cat .env``, ``head -n5 .env``).

Each ``NAME=value`` line whose name holds a credential becomes a credential of the session
(and of the file: its ``path``), the value fingerprinted and dropped, so the same key seen in
another session or host is one identity (docs/identities.md).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from scoper.model import Credential
from scoper.sources.audit.commands.credentials import classify_env, classify_path
from scoper.sources.audit.commands.parse import program_name, split_commands
from scoper.sources.audit.commands.place import Place

_READERS = frozenset({"cat", "head", "tail", "less", "more", "bat", "batcat", "nl", "grep"})
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def shown_dotenv(
    command: str, output: str, place: Place, fingerprint: Callable[[str], str]
) -> list[Credential]:
    """Credentials for the secret lines of the one ``.env`` file ``command`` printed."""
    paths = [
        word
        for argv in split_commands(command)
        if argv and program_name(argv[0]) in _READERS
        for word in argv[1:]
        if not word.startswith("-") and (classify_path(word) or ("", ""))[1] == "dotenv"
    ]
    if len(paths) != 1 or "=" not in output:
        return []  # several files printed together: which line came from which is unknown
    path = posixpath.join(place.cwd, paths[0]) if place.cwd else paths[0]
    found = []
    for text in output.split("\n"):
        match = _LINE.match(text)
        value = match.group(2).strip("'\"") if match else ""
        kind = classify_env(match.group(1)) if match else None
        if match is None or kind is None or not value or value.startswith("$"):
            continue
        found.append(
            Credential(
                name=match.group(1),
                kind=kind[0],
                origin=place.origin,
                harvest_class="dotenv",
                session_id=place.session_id,
                host=place.host,
                fingerprint=fingerprint(value),
                path=posixpath.normpath(path),
                first_seen=place.ts,
            )
        )
    return found
