"""The hash chain of a trail file: each line carries its own hash and its predecessor's.

Line 1 is a ``trail`` header with a random file id. Every line ends with
``,"hash":"<sha256>"}`` (optionally ``,"mac":"<hmac>"}`` after it): ``hash`` is the sha256 of
the line's text before ``,"hash"`` (which holds ``"prev"``, the hash of the line before), and
``mac`` is HMAC-SHA256 of that hash under the recording host's key. So an edited line fails
its own hash, a deleted or moved line breaks its successor's ``prev``, and with a key no one
without it can rewrite the chain. Nothing detects the loss of the *last* lines of the last
file (truncation) except a copy of its last hash kept elsewhere.

Standard library only: the scoper-events reader checks chains with it at ingest.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

HEADER_EVENT = "trail"
MAC_ALGORITHM = "hmac-sha256"
_TAIL = re.compile(rb',"hash":"([0-9a-f]{64})"(?:,"mac":"([0-9a-f]{64})")?\}$')


def new_file_id() -> str:
    """A random trail file id (128 bits, hex)."""
    return secrets.token_hex(16)


def key_id(key: bytes) -> str:
    """A public name for a signing key (it says which key, never the key)."""
    return hashlib.sha256(b"scoper-trail-key:" + key).hexdigest()[:16]


def dumps(event: dict[str, Any]) -> str:
    """An event as one compact JSON line body (no newline)."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def seal(event: dict[str, Any], prev: str | None, key: bytes | None) -> tuple[str, str]:
    """(the line, its hash): ``event`` with ``prev``, ``hash`` and ``mac`` appended."""
    body = dict(event)
    body.pop("hash", None)
    body.pop("mac", None)
    if prev is not None:
        body["prev"] = prev
    text = dumps(body)[:-1]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    line = f'{text},"hash":"{digest}"'
    if key is not None:
        line += f',"mac":"{hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()}"'
    return line + "}", digest


def header(
    ts: str, host: str | None, key: bytes | None, follows: tuple[str, str] | None
) -> dict[str, Any]:
    """The first line of a trail file: its id, and the file and last hash it continues."""
    head: dict[str, Any] = {"ts": ts, "event": HEADER_EVENT, "trail": new_file_id()}
    if host:
        head["host"] = host
    if follows is not None:
        head["follows"], head["follows_hash"] = follows
    if key is not None:
        head["signed"], head["key"] = MAC_ALGORITHM, key_id(key)
    return head


def last_hash(tail: bytes) -> str | None:
    """The ``hash`` of the last complete line of ``tail`` (the end of a trail file)."""
    for raw in reversed(tail.rstrip(b"\n").split(b"\n")):
        found = _TAIL.search(raw.rstrip(b"\r"))
        if found:
            return found.group(1).decode()
        if raw.strip():
            return None
    return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What ``trail verify`` found in one file. ``broken_at`` is the first bad line."""

    path: str
    lines: int
    file_id: str | None
    broken_at: int | None = None
    reason: str | None = None
    signed: bool = False
    macs_checked: bool = False

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_lines(path: str, lines: Iterable[bytes], key: bytes | None) -> Verdict:
    """Walk a trail file's lines; the first line where the chain breaks, with the reason."""
    state = _Walk(path, key)
    for number, raw in enumerate(lines, 1):
        reason = state.step(number, raw.rstrip(b"\r\n"))
        if reason is not None:
            return state.verdict(number, reason)
    if state.count == 0:
        return state.verdict(1, "empty: no trail header")
    return state.verdict(None, None)


class _Walk:
    """The state of a chain walk: the previous hash, the header's facts."""

    def __init__(self, path: str, key: bytes | None) -> None:
        self.path, self.key = path, key
        self.prev: str | None = None
        self.file_id: str | None = None
        self.signed = False
        self.count = 0

    def step(self, number: int, raw: bytes) -> str | None:
        self.count = number
        if not raw.strip():
            return "blank line inside the chain"
        found = _TAIL.search(raw)
        if found is None:
            return "no hash: the line was added or rewritten outside the recorder"
        text = raw[: found.start()]
        digest, mac = found.group(1).decode(), found.group(2)
        if hashlib.sha256(text).hexdigest() != digest:
            return "the line was changed (its hash does not match its text)"
        try:
            event = json.loads(raw)
        except ValueError:
            return "not a JSON object"
        if number == 1:
            return self._header(event) or self._mac(digest, mac)
        if not isinstance(event, dict) or event.get("prev") != self.prev:
            return "the chain breaks here: a line before it was removed, or lines were moved"
        return self._mac(digest, mac)

    def _header(self, event: Any) -> str | None:
        if not isinstance(event, dict) or event.get("event") != HEADER_EVENT:
            return "no trail header: the first line was removed or moved"
        if "prev" in event:
            return "the header carries a previous hash"
        self.file_id = str(event.get("trail"))
        self.signed = event.get("signed") == MAC_ALGORITHM
        if self.signed and self.key is not None and event.get("key") != key_id(self.key):
            return "signed with another key than the one given"
        return None

    def _mac(self, digest: str, mac: bytes | None) -> str | None:
        self.prev = digest
        if not self.signed:
            return "a MAC on a line of an unsigned trail" if mac is not None else None
        if mac is None:
            return "no MAC on a line of a signed trail"
        if self.key is None:
            return None
        want = hmac.new(self.key, digest.encode(), hashlib.sha256).hexdigest()
        return None if hmac.compare_digest(want, mac.decode()) else "the MAC does not match"

    def verdict(self, broken_at: int | None, reason: str | None) -> Verdict:
        checked = self.signed and self.key is not None
        return Verdict(self.path, self.count, self.file_id, broken_at, reason, self.signed, checked)


def iter_lines(data: bytes) -> Iterator[bytes]:
    """The lines of a file's bytes (a final newline ends the last line, it opens none)."""
    if not data:
        return
    yield from data.rstrip(b"\n").split(b"\n") if data.endswith(b"\n") else data.split(b"\n")
