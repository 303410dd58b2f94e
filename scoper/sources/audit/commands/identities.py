"""Printed identities: a session's command output that says whose credentials it holds.

When a session runs ``aws sts get-caller-identity`` and its output is in the trail, the
session printed who its AWS credentials are: an :class:`~scoper.model.IdentityLink`
(rule ``printed-identity``, confirmed) from ``Alias("held", "aws")`` of that session to
the principal ARN and to the account. Recognised (output as the tools print it):

- ``aws sts get-caller-identity`` (JSON, YAML, text, ``--query Arn``/``Account``):
  ``Arn`` -> principal as written, ``Account`` (or the ARN's) -> account ``aws:<id>``;
- ``gcloud auth list`` (the active account marked ``*``; older ``ACTIVE``/``(active)``;
  JSON) and ``gcloud config list`` / ``config get-value account`` (``account = x``) ->
  principal ``gcp:<email>``; ``project = p`` -> account ``gcp:<p>``;
- ``az account show`` (JSON; ``--query user.name -o tsv``): ``user.name`` -> principal
  ``azure:<name>``, ``id`` -> account ``azure:<subscription id>``;
- ``kubectl auth whoami`` (table, JSON, YAML): ``Username`` -> principal as written; a
  ``system:serviceaccount:ns:name`` also -> k8s-sa ``ns/name``; the ``credential-id``
  extra -> token-id (``JTI=...`` as written), its ``pod-name`` -> pod (rule minted-for);
- ``gh auth status`` ("Logged in to github.com account LOGIN", older "as LOGIN") ->
  principal ``github:<login>`` (github.com only, the active account);
- ``git config user.email`` / ``git config --list`` -> principal ``git:<email>``.

Entry points (any reader that pairs a command with its output may call them):

``printed_identities(command, output) -> list[Printed]``
    ``command``: the command line (``str``) or argv (``Sequence[str]``); ``output``: the
    output text (``str``) or its lines (``Sequence[str]``). Each :class:`Printed` is
    ``(family, target: Alias, fact, line, rule)``; ``line`` is the 0-based index of the
    output line that shows it. Values only: no output text is kept.
``printed_links(command, output, place, line_places=None) -> list[IdentityLink]``
    The links, from ``held:<family>`` of ``place.session_id``/``place.host``. Each link's
    origin and ts are ``place``'s, or with ``line_places`` (one Place per output line,
    e.g. a GitHub Actions step's log lines) the place of the line that shows it.
``unique_links(links) -> list[IdentityLink]``
    One link per (rule, source, target, session, host): the first (the file's first line).
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from scoper.model import Alias, AliasKind, IdentityLink, LinkRule
from scoper.sources.audit.commands.place import Place

__all__ = ["Printed", "printed_identities", "printed_links", "unique_links"]

Command = str | Sequence[str]
Lines = list[str]


class Printed(NamedTuple):
    """One identity an output printed: the credential family, what it names, and where."""

    family: str
    target: Alias
    fact: str
    line: int = 0
    rule: str = LinkRule.PRINTED


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_SPAN = r"[^\n;|&]*"  # inside one simple command
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
_ARN = re.compile(r"\barn:aws[a-z-]*:(?:iam|sts)::(\d{12}):[\w+=,.@/-]*[\w+=.@/-]")
_ACCOUNT = re.compile(r"""\bAccount["']?\s*:\s*["']?(\d{12})\b""")
_GCP_STAR = re.compile(rf"^\s*\*\s+({_EMAIL})\s*$")
_GCP_OLD = re.compile(rf"^\s*-\s+({_EMAIL})\s+(?:ACTIVE|\(active\))\s*$")
_GCP_JSON = re.compile(rf'"account"\s*:\s*"({_EMAIL})"\s*,\s*"status"\s*:\s*"ACTIVE"')
_GCP_KEY = re.compile(r"^\s*(account|project)\s*=\s*(\S+)\s*$")
_K8S_NAME = re.compile(r"""^\s*(?:Username\s+|"?username"?\s*:\s*"?)([^"\s,]+)""")
_K8S_EXTRA = re.compile(
    r"^Extra: authentication\.kubernetes\.io/(credential-id|pod-name)\s+\[([^\]\s]+)"
)
_K8S_CREDENTIAL_ID = "authentication.kubernetes.io/credential-id"
_K8S_POD_NAME = "authentication.kubernetes.io/pod-name"
_SA = re.compile(r"^system:serviceaccount:([a-z0-9.-]+):([a-z0-9.-]+)$")
_GH_LOGIN = re.compile(r"(?:Logged in to|token valid for) (\S+) (?:account|as) ([\w-]+)")
_GH_ACTIVE = re.compile(r"Active account: (true|false)")
_GIT_LIST = re.compile(rf"^user\.email[= ]({_EMAIL})\s*$")
_ONLY_EMAIL = re.compile(rf"^\s*({_EMAIL})\s*$")
_UUID = re.compile(r"^\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*$")


def _aws(command: str, lines: Lines) -> list[Printed]:
    found: list[Printed] = []
    for index, line in enumerate(lines):
        for match in _ARN.finditer(line):
            found.append(Printed("aws", Alias(AliasKind.PRINCIPAL, match.group(0)), _F_AWS, index))
            found.append(Printed("aws", Alias(AliasKind.ACCOUNT, f"aws:{match[1]}"), _F_AWS, index))
        if account := _ACCOUNT.search(line):
            found.append(
                Printed("aws", Alias(AliasKind.ACCOUNT, f"aws:{account[1]}"), _F_AWS, index)
            )
    if not found and re.search(r"--query[ =]['\"]?Account\b", command):
        bare = [
            (i, line.strip())
            for i, line in enumerate(lines)
            if re.fullmatch(r"\d{12}", line.strip())
        ]
        if len(bare) == 1:
            found.append(
                Printed("aws", Alias(AliasKind.ACCOUNT, f"aws:{bare[0][1]}"), _F_AWS, bare[0][0])
            )
    return found


def _gcloud_auth(command: str, lines: Lines) -> list[Printed]:
    found = [
        Printed("gcp", Alias(AliasKind.PRINCIPAL, f"gcp:{m[1]}"), _F_GCP_AUTH, index)
        for index, line in enumerate(lines)
        if (m := _GCP_STAR.match(line) or _GCP_OLD.match(line) or _GCP_JSON.search(line))
    ]
    if not found and (listed := _json_list(lines)):  # --format=json, pretty-printed
        found = [
            Printed("gcp", Alias(AliasKind.PRINCIPAL, f"gcp:{a}"), _F_GCP_AUTH, _line_of(lines, a))
            for item in listed
            if isinstance(item, dict) and item.get("status") == "ACTIVE"
            if isinstance(a := item.get("account"), str) and a
        ]
    if not found and "status:ACTIVE" in command:
        found = _single_email(lines, "gcp", "gcp:", _F_GCP_AUTH)
    return found


def _gcloud_config(command: str, lines: Lines) -> list[Printed]:
    found: list[Printed] = []
    for index, line in enumerate(lines):
        if match := _GCP_KEY.match(line):
            kind = AliasKind.PRINCIPAL if match[1] == "account" else AliasKind.ACCOUNT
            found.append(Printed("gcp", Alias(kind, f"gcp:{match[2]}"), _F_GCP_CONFIG, index))
    if not found and re.search(r"\bget(?:-value)?\s+(?:core/)?account\b", command):
        found = _single_email(lines, "gcp", "gcp:", _F_GCP_CONFIG)
    return found


def _az(command: str, lines: Lines) -> list[Printed]:
    document = _json_object(lines)
    user = document.get("user")
    name = user.get("name") if isinstance(user, dict) else None
    subscription = document.get("id")
    found: list[Printed] = []
    if isinstance(name, str) and name:
        at = _line_of(lines, f'"{name}"')
        found.append(Printed("azure", Alias(AliasKind.PRINCIPAL, f"azure:{name}"), _F_AZ, at))
    if isinstance(subscription, str) and subscription:
        at = _line_of(lines, f'"{subscription}"')
        found.append(Printed("azure", Alias(AliasKind.ACCOUNT, f"azure:{subscription}"), _F_AZ, at))
    if not found and re.search(r"--query[ =]['\"]?user\.name\b", command):
        found = _single_line(lines, "azure", AliasKind.PRINCIPAL, "azure:", _F_AZ)
    elif not found and re.search(r"--query[ =]['\"]?id\b", command):
        bare = [(i, m[1]) for i, line in enumerate(lines) if (m := _UUID.match(line))]
        if len(bare) == 1:
            account = Alias(AliasKind.ACCOUNT, f"azure:{bare[0][1]}")
            found.append(Printed("azure", account, _F_AZ, bare[0][0]))
    return found


def _kubectl(command: str, lines: Lines) -> list[Printed]:
    info = _json_object(lines).get("status")
    info = info.get("userInfo") if isinstance(info, dict) else None
    if isinstance(info, dict):  # -o json
        name, extra = info.get("username"), info.get("extra")
        extra = extra if isinstance(extra, dict) else {}
        ids, pods = extra.get(_K8S_CREDENTIAL_ID), extra.get(_K8S_POD_NAME)
        named = [(_line_of(lines, f'"{name}"'), name)] if isinstance(name, str) else []
        found = _k8s_user(named)
        for kind, values in (("credential-id", ids), ("pod-name", pods)):
            for value in values if isinstance(values, list) else []:
                found += _k8s_extra(kind, str(value), _line_of(lines, f'"{value}"'), named)
        return found
    named = [
        (index, m[1])
        for index, line in enumerate(lines)
        if (m := _K8S_NAME.match(line)) and m[1] not in ("ATTRIBUTE", "VALUE")
    ]
    found = _k8s_user(named)
    for index, line in enumerate(lines):
        for extra in _K8S_EXTRA.finditer(line):
            found += _k8s_extra(extra[1], extra[2], index, named)
    return found


def _k8s_user(named: list[tuple[int, str]]) -> list[Printed]:
    found: list[Printed] = []
    for index, name in named:
        found.append(Printed("k8s", Alias(AliasKind.PRINCIPAL, name), _F_K8S, index))
        if sa := _SA.match(name):
            found.append(Printed("k8s", Alias(AliasKind.K8S_SA, f"{sa[1]}/{sa[2]}"), _F_K8S, index))
    return found


def _k8s_extra(kind: str, value: str, index: int, named: list[tuple[int, str]]) -> list[Printed]:
    if kind == "credential-id":
        return [Printed("k8s", Alias(AliasKind.TOKEN_ID, value), _F_K8S, index)]
    sa = next((m for _, name in named if (m := _SA.match(name))), None)
    if sa is None:
        return []  # a pod name without its namespace names no pod
    pod = Alias(AliasKind.POD, f"{sa[1]}/{value}")
    return [Printed("k8s", pod, _F_K8S, index, LinkRule.MINTED_FOR)]


def _gh(command: str, lines: Lines) -> list[Printed]:
    accounts: list[tuple[str, str, int, bool]] = []  # host, login, line, active
    for index, line in enumerate(lines):
        if match := _GH_LOGIN.search(line):
            accounts.append((match[1], match[2], index, True))
        elif (active := _GH_ACTIVE.search(line)) and accounts and active[1] == "false":
            accounts[-1] = (*accounts[-1][:3], False)
    return [
        Printed("github", Alias(AliasKind.PRINCIPAL, f"github:{login}"), _F_GH, index)
        for host, login, index, active in accounts
        if active and host.rstrip(":") == "github.com"
    ]


def _git(command: str, lines: Lines) -> list[Printed]:
    listed = [
        Printed("git", Alias(AliasKind.PRINCIPAL, f"git:{m[1]}"), _F_GIT, index)
        for index, line in enumerate(lines)
        if (m := _GIT_LIST.match(line.strip()))
    ]
    if listed or not re.search(r"\buser\.email\s*(?:$|[;&|)\n])", command):
        return listed
    return _single_email(lines, "git", "git:", _F_GIT)


_F_AWS = "aws sts get-caller-identity printed the caller"
_F_GCP_AUTH = "gcloud auth list printed the active account"
_F_GCP_CONFIG = "gcloud config printed the account/project"
_F_AZ = "az account show printed the signed-in user and subscription"
_F_K8S = "kubectl auth whoami printed the user"
_F_GH = "gh auth status printed the logged-in account"
_F_GIT = "git config printed user.email"

_RECOGNISERS: tuple[tuple[re.Pattern[str], Callable[[str, Lines], list[Printed]]], ...] = (
    (re.compile(rf"\bsts\b{_SPAN}\bget-caller-identity\b"), _aws),
    (re.compile(rf"\bgcloud\b{_SPAN}\bauth\s+list\b"), _gcloud_auth),
    (re.compile(rf"\bgcloud\b{_SPAN}\bconfig\s+(?:list|get(?:-value)?)\b"), _gcloud_config),
    (re.compile(rf"\baz\b{_SPAN}\baccount\s+show\b"), _az),
    (re.compile(rf"\b(?:kubectl|oc)\b{_SPAN}\bauth\s+whoami\b"), _kubectl),
    (re.compile(rf"\bgh\b{_SPAN}\bauth\s+status\b"), _gh),
    (re.compile(rf"\bgit\b{_SPAN}\bconfig\b{_SPAN}(?:\buser\.email\b|\s(?:-l|--list)\b)"), _git),
)


def printed_identities(command: Command, output: str | Sequence[str]) -> list[Printed]:
    """The identities ``output`` printed for ``command`` (see the module docstring)."""
    text = command if isinstance(command, str) else shlex.join([str(a) for a in command])
    if not text or not output:
        return []
    raw = output.split("\n") if isinstance(output, str) else list(output)
    lines = [_ANSI.sub("", line).rstrip("\r") for line in raw]
    found: list[Printed] = []
    for pattern, recognise in _RECOGNISERS:
        if pattern.search(text):
            found += recognise(text, lines)
    first: dict[tuple[str, Alias, str], Printed] = {}
    for printed in found:
        first.setdefault((printed.family, printed.target, printed.rule), printed)
    return list(first.values())


def printed_links(
    command: Command,
    output: str | Sequence[str],
    place: Place,
    line_places: Sequence[Place] | None = None,
) -> list[IdentityLink]:
    """Links from ``held:<family>`` of ``place``'s session (or host) to what was printed."""
    links: list[IdentityLink] = []
    for printed in printed_identities(command, output):
        where = place
        if line_places is not None and 0 <= printed.line < len(line_places):
            where = line_places[printed.line]
        links.append(
            IdentityLink(
                rule=printed.rule,
                source=Alias(AliasKind.HELD, printed.family),
                target=printed.target,
                origin=where.origin,
                session_id=place.session_id,
                host=None if place.session_id else place.host,
                ts=where.ts,
                fact=printed.fact,
            )
        )
    return unique_links(links)


def unique_links(links: Iterable[IdentityLink]) -> list[IdentityLink]:
    """Each distinct link once: the first seen (the file's first line that shows it)."""
    kept: dict[tuple[Any, ...], IdentityLink] = {}
    for link in links:
        kept.setdefault((link.rule, link.source, link.target, link.session_id, link.host), link)
    return list(kept.values())


def _single_email(lines: Lines, family: str, prefix: str, fact: str) -> list[Printed]:
    emails = {m[1]: i for i, line in enumerate(lines) if (m := _ONLY_EMAIL.match(line))}
    if len(emails) != 1:
        return []
    [(email, index)] = emails.items()
    return [Printed(family, Alias(AliasKind.PRINCIPAL, prefix + email), fact, index)]


def _single_line(lines: Lines, family: str, kind: str, prefix: str, fact: str) -> list[Printed]:
    values = [(i, line.strip()) for i, line in enumerate(lines) if line.strip()]
    if len(values) != 1 or " " in values[0][1]:
        return []
    return [Printed(family, Alias(kind, prefix + values[0][1]), fact, values[0][0])]


def _json_object(lines: Lines) -> dict[str, Any]:
    text = "\n".join(lines)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return {}
    try:
        value = json.loads(text[start : end + 1])
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _json_list(lines: Lines) -> list[Any]:
    text = "\n".join(lines).strip()
    if not text.startswith("["):
        return []
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return []
    return value if isinstance(value, list) else []


def _line_of(lines: Lines, needle: str) -> int:
    return next((i for i, line in enumerate(lines) if needle in line), 0)
