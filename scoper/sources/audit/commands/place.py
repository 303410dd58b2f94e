"""Where and when an audit reader saw something: the one place record every event cites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scoper.model import Origin


@dataclass(frozen=True, slots=True)
class Place:
    """Time, file line, session, host, working directory and environment of an observation."""

    ts: datetime
    origin: Origin
    session_id: str | None = None
    host: str | None = None
    cwd: str | None = None
    environment: str | None = None  # used when the command names none
