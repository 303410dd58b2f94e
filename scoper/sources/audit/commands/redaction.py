"""One redaction policy: text as scoper may store or print it, with secret values masked."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from scoper.sources.audit.commands.credentials import classify_env

MASK = "***"
_VALUE = r"(\"[^\"]*\"|'[^']*'|[^\s;&|'\"]+)"
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@'\"]*@")
_ASSIGNMENT = re.compile(rf"(?<![\w./-])([A-Za-z_][A-Za-z0-9_]*)={_VALUE}")
_SECRET_WORD = re.compile(r"(?i)pass|token|secret|api_?key|private_?key|credential|auth|cookie")
_OPTION = re.compile(  # the secret word is a whole segment of the option name
    r"(?i)(?<![\w-])(--?(?:[a-z0-9]+[-_])*(?:password|passwd|token|secret|api[-_]?key|auth"
    r"|credentials?)(?:[-_][a-z0-9]+)*)(?<!-stdin)(=|[ \t]+)(?!-)" + _VALUE
)
_HEADER = re.compile(
    r"(?i)\b((?:authorization|x-api-key|api-key|private-token)\s*[:=]\s*"
    r"(?:bearer\s+|basic\s+|token\s+)?)[^\s'\"]+"
)
_MYSQL = re.compile(r"\b(?:mysql|mariadb|mysqldump|mysqladmin)\b")
_MYSQL_PASS = re.compile(r"(?<!\S)-p(?=[^\s-])\S+")  # mysql -pSECRET: value glued to -p
_USER_PASS = re.compile(r"(?<!\S)(-u|--user)(\s+['\"]?)([^:\s'\"]+):([^\s'\"]+)")
_SHAPES = re.compile(
    r"(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_-]{20,}"
    r"|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|xox[abposr]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{20,}"
    r"|\bnpm_[A-Za-z0-9]{36}|pypi-[A-Za-z0-9_-]{50,}|\bhf_[A-Za-z0-9]{30,}"
    r"|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"
)
_LONG = re.compile(r"(?<![\w./-])[A-Za-z0-9+/_-]{32,}={0,2}(?![\w/])")


def _secret_name(name: str) -> bool:
    return classify_env(name) is not None or _SECRET_WORD.search(name) is not None


def _mask_assignment(match: re.Match[str]) -> str:
    return f"{match.group(1)}={MASK}" if _secret_name(match.group(1)) else match.group(0)


def _looks_random(match: re.Match[str]) -> str:
    text = match.group(0)
    classes = (
        any(c.isupper() for c in text),
        any(c.islower() for c in text),
        any(c.isdigit() for c in text),
    )
    counts = Counter(text)
    entropy = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return MASK if all(classes) and entropy >= 4.2 else text


@lru_cache(maxsize=4096)
def redact_command(command: str) -> str:
    """The command with secrets masked as ``***``.

    Masks URL userinfo, values of ``--password``/``--token``-like options,
    ``VAR=value`` for secret-looking names, auth headers, ``-u user:pass``,
    known token shapes (``ghp_``, ``sk-``, ``AKIA``, ``xox``...) and long
    random-looking strings.
    """
    text = _URL_USERINFO.sub(rf"\1{MASK}@", command)
    text = _ASSIGNMENT.sub(_mask_assignment, text)
    text = _OPTION.sub(rf"\1\2{MASK}", text)
    text = _HEADER.sub(rf"\1{MASK}", text)
    text = _USER_PASS.sub(rf"\1\2\3:{MASK}", text)
    text = _SHAPES.sub(MASK, text)
    if _MYSQL.search(text):
        text = _MYSQL_PASS.sub(f"-p{MASK}", text)
    return _LONG.sub(_looks_random, text)
