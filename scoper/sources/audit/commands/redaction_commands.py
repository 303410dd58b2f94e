"""Secrets that only a command's shape tells: option values, positionals, stdin pipes.

Part of the one redaction policy (:mod:`redaction`): a command line is split into
pipeline segments (``|``, ``;``, ``&&``, ``||``, newlines; quotes are not parsed, which
only ever errs towards masking more) and each segment is masked by what its program is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scoper.sources.audit.commands.secret_names import MASK, VALUE, is_secret_name

_SPLIT = re.compile(r"(\|\||&&|[|;\n])")
_OPTION = re.compile(rf"(?<![\w-])(--?[A-Za-z][\w.-]*)(=|[ \t]+)(?![-|;&<>])({VALUE})")


def _short_flag(flag: str) -> re.Pattern[str]:
    """``FLAG VALUE`` or ``FLAGVALUE`` (glued), the value as the last group."""
    return re.compile(rf"(?<!\S){flag}(?:[ \t]+(?![-|;&<>])|(?=[^\s-]))({VALUE})")


_SHORT_P = _short_flag("-p")
_GLUED_P = re.compile(r"(?<!\S)-p(?=[^\s-])\S+")
_USER_PASS = re.compile(
    r"(?<!\S)(-u|-U|--user|--proxy-user|--auth|-a)(=|[ \t]*['\"]?)([^:\s'\"]+):([^\s'\"]+)"
)
_SET = re.compile(rf"(\b(?:set|config:set|config)[ \t]+(?:--?\S+[ \t]+)*)(\S+)([ \t]+)({VALUE})")
_FROM_LITERAL = re.compile(rf"(--from-literal[= ][\w.-]+=)({VALUE})")
_BODY = re.compile(rf"((?:^|[ \t])(?:-b|--body)(?:=|[ \t]+))({VALUE})")
_HERESTRING = re.compile(rf"(<<<[ \t]*)({VALUE})")
_ECHO = re.compile(r"((?:^|[\s'\"(])(?:echo|printf)(?:[ \t]+-[neE]+)*)([ \t]+.*?)(\s*)$", re.S)
_STDIN_READER = re.compile(
    r"(?i)\b(?:login|configure|auth|passwd|chpasswd|secret|token|credentials?)\b"
    r"|--password-stdin|--with-token|--stdin|--passphrase-fd"
)
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ash", "ksh"})
_SHELL_C = re.compile(r"^-[a-z]*c$")
_WRAPPERS = frozenset({"sudo", "env", "exec", "command", "time", "nohup", "xargs"})
_ASSIGN = re.compile(r"^[A-Za-z_]\w*=")
_MYSQL_LIKE = re.compile(r"^(?:mysql|mariadb|mysql\w+|mariadb-\w+)$")
_LOGIN_TOOLS = frozenset(
    {"docker", "podman", "buildah", "skopeo", "helm", "oras", "nerdctl", "az", "oc", "cf", "crane"}
)
# programs whose short flag takes a password: redis-cli -a PW, sqlcmd -P PW, ldapsearch -w PW
_PASSWORD_FLAG = {
    "sshpass": "-p", "redis-cli": "-a", "sqlcmd": "-P", "bcp": "-P", "ldapsearch": "-w",
    "ldapmodify": "-w", "ldapadd": "-w", "ldapdelete": "-w", "zip": "-P", "unzip": "-P",
    "mongo": "-p", "mongosh": "-p", "mongodump": "-p", "mongorestore": "-p",
}  # fmt: skip
_SMB_USER = re.compile(r"((?:^|\s)(?:-U|--user)[ \t=]+[^%\s]+%)(\S+)")


def _program(segment: str) -> tuple[str, list[str]]:
    """The program a segment runs (wrappers, assignments and ``sh -c`` peeled) and its args."""
    words = segment.split()
    while words:
        head = words[0].lstrip("'\"($").rsplit("/", 1)[-1]
        if head in _SHELLS and len(words) > 1 and _SHELL_C.match(words[1]):
            words = words[2:]
        elif head in _WRAPPERS or _ASSIGN.match(head):
            words = words[1:]
        else:
            return head, [w.strip("'\"") for w in words[1:]]
    return "", []


def _mask_option(match: re.Match[str]) -> str:
    name, sep, value = match.groups()
    if not is_secret_name(name) or value.strip("\"'") == MASK:
        return match.group(0)
    return f"{name}{sep}{_quoted_mask(value)}"


def _quoted_mask(value: str) -> str:
    return f"{value[0]}{MASK}{value[0]}" if value[:1] in "\"'" and len(value) > 1 else MASK


def _mask_group(pattern: re.Pattern[str], text: str) -> str:
    """Mask the last group of every match, keeping what comes before it."""

    def sub(match: re.Match[str]) -> str:
        start = match.start(match.lastindex or 0) - match.start()
        return match.group(0)[:start] + _quoted_mask(match.group(match.lastindex or 0))

    return pattern.sub(sub, text)


def _mask_set(match: re.Match[str]) -> str:
    head, name, space, value = match.groups()
    if is_secret_name(name):
        return f"{head}{name}{space}{_quoted_mask(value)}"
    return match.group(0)


def _vault_login(segment: str) -> str:
    head, sep, rest = segment.partition("login")
    masked = [
        MASK if word and not word.startswith("-") and "=" not in word else word
        for word in rest.split(" ")
    ]
    return head + sep + " ".join(masked)


def _by_program(segment: str) -> str:
    program, args = _program(segment)
    if _MYSQL_LIKE.match(program):
        segment = _GLUED_P.sub(f"-p{MASK}", segment)
    elif program in _PASSWORD_FLAG:
        segment = _mask_group(_short_flag(_PASSWORD_FLAG[program]), segment)
    elif program in _LOGIN_TOOLS and "login" in args:
        segment = _mask_group(_SHORT_P, segment)
    elif program in {"smbclient", "rpcclient", "smbmap"}:
        segment = _mask_group(_SMB_USER, segment)
    elif program == "vault" and args[:1] == ["login"]:
        segment = _vault_login(segment)
    elif program == "gh" and args[:2] == ["secret", "set"]:
        segment = _mask_group(_BODY, segment)
    if program in {"aws", "npm", "yarn", "pnpm", "pip", "git", "heroku", "gcloud", "az"}:
        segment = _SET.sub(_mask_set, segment)
    return segment


def _mask_segment(segment: str) -> str:
    segment = _OPTION.sub(_mask_option, _by_program(segment))
    segment = _USER_PASS.sub(lambda m: f"{m[1]}{m[2]}{m[3]}:{MASK}", segment)
    segment = _mask_group(_FROM_LITERAL, segment)
    if "<<<" in segment and _STDIN_READER.search(segment):
        segment = _mask_group(_HERESTRING, segment)
    return segment


def _mask_echo(segment: str) -> str:
    match = _ECHO.search(segment)
    if not match or not match.group(2).strip():
        return segment
    return f"{segment[: match.start()]}{match.group(1)} {MASK}{match.group(3)}"


def mask_command_secrets(command: str) -> str:
    """The command with option, positional and stdin-fed secrets masked (no shapes)."""
    parts = _SPLIT.split(command)
    out: list[str] = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(part)
            continue
        fed: Callable[[str], str] = _mask_segment
        nxt = parts[index + 2] if index + 2 < len(parts) else ""
        if index + 1 < len(parts) and parts[index + 1] == "|" and _STDIN_READER.search(nxt):
            out.append(_mask_echo(fed(part)))
        else:
            out.append(fed(part))
    return "".join(out)
