"""Names that hold secrets (options, variables, headers, JSON keys) and the mask."""

from __future__ import annotations

import re
from functools import lru_cache

from scoper.sources.audit.commands.credentials import classify_env

MASK = "***"
VALUE = r"(?:\"[^\"]*\"|'[^']*'|[^\s;&|'\"]+)"

_SECRET_SEGMENTS = frozenset(
    {
        "password", "passwd", "pass", "pwd", "passphrase", "token", "secret", "secrets",
        "apikey", "auth", "authtoken", "credential", "credentials", "cookie", "sig",
        "signature", "bearer", "privatekey", "secretkey", "accesskey", "jwt", "creds",
        "storepass", "keypass", "srcstorepass", "deststorepass", "srckeypass", "destkeypass",
    }
)  # fmt: skip
_STRONG_WORDS = ("password", "passwd", "secret", "apikey", "accesskey", "privatekey", "authtoken")
_KEY_QUALIFIERS = frozenset({"api", "secret", "private", "access", "signing", "client", "master"})
_NOT_SECRET_TAIL = frozenset(
    {
        "file", "path", "dir", "env", "stdin", "helper", "name", "names", "id", "type",
        "kind", "class", "length", "ttl", "count", "fingerprint", "source", "url", "command",
        "cmd", "prompt", "fd", "method", "endpoint", "expiry", "expires", "region",
    }
)  # fmt: skip
_SEGMENT = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _segments(name: str) -> list[str]:
    return [s.lower() for s in _SEGMENT.findall(name)]


@lru_cache(maxsize=8192)
def is_secret_name(name: str) -> bool:
    """True for an option, variable, header or JSON key name that holds a secret value.

    ``api_key``, ``--secret-key``, ``authToken``, ``AWS_SECRET_ACCESS_KEY`` are; ``key``,
    ``max_tokens``, ``author``, ``--token-file`` and ``secret_name`` are not.
    """
    parts = _segments(name)
    if not parts or parts[-1] in _NOT_SECRET_TAIL:
        return False
    if classify_env(name.lstrip("-")) is not None:
        return True
    joined = "".join(parts)
    if any(word in joined for word in _STRONG_WORDS):
        return True
    for before, part in zip(["", *parts], parts, strict=False):
        if part in _SECRET_SEGMENTS or (part == "key" and before in _KEY_QUALIFIERS):
            return True
    return False
