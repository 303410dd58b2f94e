"""Events as a trail may hold them: secrets redacted, values fingerprinted, at write time.

The policy is ingest's own: :mod:`scoper.sources.audit.commands.redaction` for text,
:func:`scoper.sources.base.fingerprint` for values and the credential classes of
:func:`scoper.sources.audit.events_values.credential_facts`. A value never reaches the trail:
a ``credential`` keeps its name, kind, class, public key id and ``fingerprint``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoper.sources.audit.commands.credentials import classify_env, classify_value
from scoper.sources.audit.commands.redaction import redact_command, redact_detail, redact_text
from scoper.sources.audit.events_values import credential_facts
from scoper.sources.base import fingerprint

_COMMANDS = ("command", "fact")
_TEXTS = ("user_agent", "dest", "principal")
KEY_ENV = "SCOPER_FINGERPRINT_KEY"
KEY_FILE_ENV = "SCOPER_RECORD_KEY_FILE"


def now_ts() -> str:
    """The current time as the trail writes it (RFC 3339 UTC, microseconds, ``Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def default_key_file() -> Path:
    """Where the host keeps the fingerprint key when ``$SCOPER_FINGERPRINT_KEY`` is unset."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "scoper" / "fingerprint.key"


def fingerprint_key(env: Mapping[str, str] | None = None) -> bytes:
    """The key values are fingerprinted with: ``$SCOPER_FINGERPRINT_KEY`` (set the same on
    the store to correlate with other evidence), else a random key kept in a host file."""
    env = os.environ if env is None else env
    if env.get(KEY_ENV):
        return env[KEY_ENV].encode()
    path = Path(env.get(KEY_FILE_ENV) or default_key_file())
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    return key


def clean(event: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """``event`` as the trail may hold it (a copy): ``ts`` stamped, text redacted, values
    swapped for fingerprints, credential kinds and classes filled in."""
    out = {k: v for k, v in event.items() if k not in ("prev", "hash", "mac")}
    out.setdefault("ts", now_ts())
    for name in _COMMANDS:
        if isinstance(out.get(name), str):
            out[name] = redact_command(out[name])
    for name in _TEXTS:
        if isinstance(out.get(name), str):
            out[name] = redact_text(out[name])
    if isinstance(out.get("detail"), dict):
        out["detail"] = redact_detail(out["detail"])
    value = out.pop("value", None)
    if out.get("event") == "credential" and isinstance(out.get("name"), str):
        _credential(out, value if isinstance(value, str) else None)
    if isinstance(value, str) and value:
        _place_fingerprint(out, fingerprint(key, value))
    return out


def _credential(out: dict[str, Any], value: str | None) -> None:
    name, path = out["name"], out.get("path")
    kind, harvest, key_id = credential_facts(
        name, path, out.get("kind"), out.get("class"), value, out.get("key_id")
    )
    out["kind"], out["class"] = kind, harvest
    if key_id:  # public by construction: an AWS key id, a token's subject, an e-mail
        out["key_id"] = key_id


def _place_fingerprint(out: dict[str, Any], fp: str) -> None:
    """A value as its fingerprint: ``fingerprint`` on credentials and uses, the missing side
    of an identity link."""
    if out.get("event") != "identity":
        out["fingerprint"] = fp
        return
    side = "from" if "from_value" not in out else "to"
    out[f"{side}_kind"], out[f"{side}_value"] = "fingerprint", fp


def env_credentials(
    env: Mapping[str, str], session: str | None, key: bytes, ts: str | None = None
) -> list[dict[str, Any]]:
    """``credential`` events for the variables of ``env`` that hold credentials, chosen as
    ingest chooses them (the name's class, else the value's shape)."""
    found = []
    for name in sorted(env):
        value = env[name]
        if value and (classify_env(name) or classify_value(value)):
            event = {"ts": ts or now_ts(), "event": "credential", "name": name}
            if session:
                event["session"] = session
            found.append(clean({**event, "value": env[name]}, key))
    return found


def env_names(env: Mapping[str, str]) -> list[str]:
    """The names of an environment (never a value), sorted."""
    return sorted(env)
