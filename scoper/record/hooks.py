"""Agent hook payloads -> trail events (``scoper record hook AGENT``)."""

from __future__ import annotations

from scoper.record.recorder import Recorder
from scoper.record.trail import warn


def record_hook(agent: str, payload: str, rec: Recorder) -> None:
    """Record one hook call of ``agent``; an unknown agent is said, never raised."""
    warn(f"hook {agent}: unknown agent, not recorded ({len(payload)} bytes)")
    del rec
