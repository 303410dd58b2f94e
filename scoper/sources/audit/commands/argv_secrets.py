"""Secret values typed on a command line (``twine upload -p pypi-...``, ``--token ghp_...``).

The value is fingerprinted and dropped: the same token on two hosts' command lines is one
identity (docs/identities.md). A command line is kept in shell history and agent transcripts,
so its secrets are harvested as ``shell-history``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from scoper.model import Credential
from scoper.sources.audit.commands.args import program_name
from scoper.sources.audit.commands.credentials import classify_value
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.secret_names import is_secret_name

# programs whose -p (or other short flag) takes a password
_SHORT: dict[str, frozenset[str]] = {
    "twine": frozenset({"-p"}),
    "mysql": frozenset({"-p"}),
    "sshpass": frozenset({"-p"}),
    "redis-cli": frozenset({"-a"}),
    "sqlcmd": frozenset({"-P"}),
}
_PLACEHOLDER = ("$", "***", "<", "%", "{{")
# what a secret option of these programs is, when the value's shape does not say
_KIND_BY_PROGRAM = {"twine": "pypi-token", "npm": "npm-token", "gh": "github-token"}


def argv_secrets(argv: Sequence[str]) -> Iterator[tuple[str, str]]:
    """``(label, value)`` for each secret value in ``argv``: a secret option's value, or a
    word shaped like a known token."""
    program = program_name(argv[0]) if argv else ""
    short = _SHORT.get(program, frozenset())
    words = list(argv[1:])
    taken: set[int] = set()  # indices of values already yielded as an option's
    for index, word in enumerate(words):
        option, value = _option(word, words[index + 1] if index + 1 < len(words) else None)
        if option and value and (option in short or is_secret_name(option)):
            taken.add(index + 1)
            yield f"{program} {option}", value
        elif index not in taken and not word.startswith("-") and classify_value(word):
            yield f"{program} argument", word


def _option(word: str, following: str | None) -> tuple[str | None, str | None]:
    if not word.startswith("-") or word == "-":
        return None, None
    name, eq, value = word.partition("=")
    if eq:
        return name, value
    if following is not None and not following.startswith("-"):
        return name, following
    return name, None


def argv_secret_credentials(
    argv: Sequence[str], where: Place, fingerprint: Callable[[str], str]
) -> list[Credential]:
    """A fingerprinted credential per secret value on the command line."""
    found = []
    program = program_name(argv[0]) if argv else ""
    for label, value in argv_secrets(argv):
        if len(value) < 8 or value.startswith(_PLACEHOLDER):
            continue  # a placeholder or a variable, not the secret itself
        found.append(
            Credential(
                name=label,
                kind=classify_value(value) or _KIND_BY_PROGRAM.get(program, "generic-secret"),
                origin=where.origin,
                harvest_class="shell-history",
                session_id=where.session_id,
                host=where.host,
                fingerprint=fingerprint(value),
                first_seen=where.ts,
            )
        )
    return found
