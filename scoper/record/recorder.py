"""A recording session: its id and host, the trail, the fingerprint key.

:meth:`Recorder.emit` cleans each event with ingest's policy (:func:`scoper.record.events.clean`),
fills in the session and host, and appends it to the trail; it never raises.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from scoper.record.events import clean
from scoper.record.trail import Trail, warn

SESSION_ENV = "SCOPER_SESSION"
_SESSIONLESS = frozenset({"credential_use", "identity", "trail"})


def host_name() -> str:
    """This machine's name as trails write it."""
    return socket.gethostname() or "localhost"


def new_session_id(prefix: str = "rec") -> str:
    """A fresh session id, ``<prefix>-<host>-<random>``."""
    return f"{prefix}-{host_name()}-{secrets.token_hex(6)}"


@dataclass(slots=True)
class Recorder:
    """Writes cleaned events of one session (``session`` None: events keep their own)."""

    trail: Trail
    key: bytes
    session: str | None = None
    host: str | None = None

    def emit(self, events: Iterable[Mapping[str, Any]]) -> bool:
        """Clean and append ``events``; False when the trail could not be written."""
        ready = []
        for event in events:
            try:
                ready.append(self._fill(clean(event, self.key)))
            except (TypeError, ValueError, KeyError) as exc:  # a malformed event: say, go on
                warn(f"event not recorded ({type(exc).__name__})")
        return self.trail.write(ready)

    def _fill(self, event: dict[str, Any]) -> dict[str, Any]:
        if event.get("event") in _SESSIONLESS:
            return event
        if self.session and "session" not in event:
            event["session"] = self.session
        if self.host and "host" not in event:
            event["host"] = self.host
        return event

    def emit_lines(self, stream: IO[str]) -> int:
        """Record JSON events read one a line from ``stream``; the count recorded."""
        events = []
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except ValueError:
                warn(f"stdin line {number}: not JSON, not recorded")
                continue
            if isinstance(event, dict) and isinstance(event.get("event"), str):
                events.append(event)
            else:
                warn(f"stdin line {number}: not an event object, not recorded")
        return len(events) if self.emit(events) else 0


def session_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """``$SCOPER_SESSION``: a session id a caller chose (a CI job, a parent recorder)."""
    return (os.environ if env is None else env).get(SESSION_ENV) or None
