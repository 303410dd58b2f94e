"""One redaction policy: text as scoper may store or print it, with secret values masked.

Every path that keeps or shows text from evidence goes through here: command lines
(:func:`redact_command`), free text such as user agents or log lines (:func:`redact_text`),
URLs (:func:`redact_url`) and JSON ``detail`` objects (:func:`redact_detail`). Known token
shapes come from ``secret_patterns.toml`` (adapted from gitleaks' rules); names that hold
secrets (options, assignments, JSON keys, headers) are recognised by :func:`is_secret_name`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from scoper.sources.audit.commands.redaction_commands import mask_command_secrets
from scoper.sources.audit.commands.secret_names import MASK, VALUE, is_secret_name
from scoper.sources.audit.commands.secret_shapes import mask_shapes

__all__ = [
    "MASK",
    "is_secret_name",
    "redact_command",
    "redact_detail",
    "redact_text",
    "redact_url",
    "redact_user_agent",
    "redact_value",
]

_ANY_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,30}://)[^/\s@'\"]*@")
# in free text ssh's plain git@ is kept; schemes are bounded so scanning stays linear
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,30}://)(?!git@)[^/\s@'\"]*@")
_QUERY_PARAM = re.compile(r"([?&;#])([\w.%-]+)=([^&#\s'\"]*)")
_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization|x-[\w-]{1,40}|api-?key"
    r"|private-token|x-api-key)(\s*[:=]\s*)((?:bearer|basic|token|digest|negotiate|apikey)"
    r"\s+)?([^\s'\"]+)"
)
_X_HEADER_SECRET = re.compile(r"(?i)token|key|auth|secret|signature|session")
_COOKIE = re.compile(r"(?i)\b((?:set-)?cookie\s*:\s*)[^'\"\n]+")
_ASSIGNMENT = re.compile(
    r"(?<![\w.%/@:-])([\"']?)([A-Za-z_/@:][\w.:/@-]*)\1(\s*(?:=>|=|:)\s*)(" + VALUE + ")"
)
_AWS_CONTEXT = re.compile(r"(?i)aws|secret")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_IDENTIFIER = re.compile(r"(?:^|[_-])id$|[a-z]Id$")
_LONG = re.compile(r"(?<![\w./+-])[A-Za-z0-9+/_-]{32,}={0,2}(?![\w/])")  # starts once per run


def _mask_query(match: re.Match[str]) -> str:
    sep, name, value = match.groups()
    if value and value != MASK and is_secret_name(name):
        return f"{sep}{name}={MASK}"
    return match.group(0)


@lru_cache(maxsize=8192)
def redact_url(url: str) -> str:
    """The URL with user-info, secret query parameters and token shapes masked."""
    text = _ANY_USERINFO.sub(rf"\1{MASK}@", url)
    text = _QUERY_PARAM.sub(_mask_query, text)
    return mask_shapes(text, MASK)


def _mask_header(match: re.Match[str]) -> str:
    name, sep, scheme, _ = match.groups()
    if name[:2].lower() == "x-" and not _X_HEADER_SECRET.search(name):
        return match.group(0)
    return f"{name}{sep}{scheme or ''}{MASK}"


def _mask_assignment(match: re.Match[str]) -> str:
    quote, name, sep, value = match.groups()
    if not is_secret_name(name) or value.strip("\"'") in (MASK, ""):
        return match.group(0)
    if ":" in sep and value.startswith("//"):  # a URL's "scheme:" is no assignment
        return match.group(0)
    return f"{quote}{name}{quote}{sep}{_requote(value)}"


def _requote(value: str) -> str:
    return f"{value[0]}{MASK}{value[0]}" if value[:1] in "\"'" and len(value) > 1 else MASK


def _mask_aws_secret(match: re.Match[str]) -> str:
    text = match.group(0)
    hexlike = all(c in "0123456789abcdefABCDEF" for c in text)
    mixed = any(c.isupper() for c in text) and any(c.islower() for c in text)
    return MASK if mixed and not hexlike else text


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


@lru_cache(maxsize=8192)
def redact_text(text: str) -> str:
    """Free text (a log line, a user agent, a JSON string) with secrets masked.

    Masks known token shapes and PEM private keys, URL user-info and secret query
    parameters, auth and cookie headers, ``name=value`` / ``"name": "value"`` for
    secret names, AWS secret keys near an AWS word and long random-looking strings.
    """
    text = mask_shapes(text, MASK)
    text = _URL_USERINFO.sub(rf"\1{MASK}@", text)
    text = _QUERY_PARAM.sub(_mask_query, text)
    text = _HEADER.sub(_mask_header, text)
    if "ookie" in text or "OOKIE" in text:
        text = _COOKIE.sub(rf"\1{MASK}", text)
    text = _ASSIGNMENT.sub(_mask_assignment, text)
    if _AWS_CONTEXT.search(text):
        text = _AWS_SECRET.sub(_mask_aws_secret, text)
    return _LONG.sub(_looks_random, text)


@lru_cache(maxsize=8192)
def redact_command(command: str) -> str:
    """The command line with secrets masked as ``***``.

    :func:`redact_text`, plus what only a command tells: values of secret options
    (``--password``, ``--token=``, ``--secret-key``), ``-p`` of mysql-likes, ``docker
    login`` and ``sshpass``, ``-u user:pass``, positional secrets of credential commands
    (``vault login TOKEN``, ``aws configure set aws_secret_access_key V``, ``npm config
    set``) and values echoed into a credential command's stdin.
    """
    return redact_text(mask_command_secrets(command))


def redact_value(value: Any, key: str | None = None) -> Any:
    """A JSON value with strings redacted; a scalar under a secret-named key is masked."""
    if isinstance(value, dict):
        return {k: redact_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v, key) for v in value]
    secret_key = key is not None and is_secret_name(key)
    if isinstance(value, str):
        if secret_key and value:
            return MASK
        # identifiers (exec_id, audit_id) look random by design: known shapes only
        return redact_url(value) if key and _IDENTIFIER.search(key) else redact_command(value)
    if secret_key and isinstance(value, int | float) and not isinstance(value, bool):
        return MASK
    return value


def redact_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """An event's ``detail`` object, walked recursively (:func:`redact_value`)."""
    return {k: redact_value(v, k) for k, v in detail.items()}


def redact_user_agent(user_agent: str | None) -> str | None:
    """A user agent (CloudTrail, Kubernetes audit), redacted like a command; None stays None.

    SDKs put the command line into it (``aws-cli/2 ... md/command#s3.ls``, tools wrapping
    kubectl), so it gets the command rules too.
    """
    return redact_command(user_agent) if user_agent else user_agent
