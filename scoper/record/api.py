"""What ``scoper record`` does, for the command line and for library callers."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import IO

from scoper.record.events import fingerprint_key
from scoper.record.recorder import Recorder, host_name, new_session_id, session_from_env
from scoper.record.trail import TRAIL_ENV, Trail, default_trail, read_sign_key, warn


def recorder(
    trail: str | None, session: str | None, sign_key: str | None, max_bytes: int
) -> Recorder:
    """A recorder for these options (trail from ``$SCOPER_TRAIL`` or the default folder).

    A key file that cannot be read is said and recording goes on unsigned or with a
    fresh fingerprint key: recording never stops the recorded work.
    """
    spec = trail or os.environ.get(TRAIL_ENV) or f"{default_trail()}{os.sep}"
    host = host_name()
    try:
        mac = read_sign_key(sign_key)
    except OSError as exc:
        warn(f"cannot read the signing key: {exc.strerror or exc}; recording unsigned")
        mac = None
    try:
        key = fingerprint_key()
    except OSError as exc:
        warn(f"cannot keep a fingerprint key: {exc.strerror or exc}; using a one-off key")
        key = os.urandom(32).hex().encode()
    chosen = session or session_from_env()
    return Recorder(Trail(spec, host, mac, max_bytes), key, chosen, host)


def command(argv: Sequence[str], rec: Recorder) -> int:
    """Run ``argv`` recorded as a new session (or ``--session``); its exit code."""
    from scoper.record.wrapper import run

    if rec.session is None:
        rec.session = new_session_id("cmd")
    return run(argv, rec)


def hook(agent: str, stream: IO[str], rec: Recorder) -> None:
    """Record one agent hook call (its JSON on ``stream``); never raises."""
    from scoper.record.hooks import record_hook

    try:
        record_hook(agent, stream.read(), rec)
    except Exception as exc:
        warn(f"hook {agent}: not recorded ({type(exc).__name__}: {exc})")


def ci(phase: str, rec: Recorder) -> bool:
    """Record a CI job's start or end (:mod:`scoper.record.ci`); False for an unknown phase."""
    from scoper.record.ci import Phase, diag_logs, end_events, start_events

    if phase not in {p.value for p in Phase}:
        return False
    env = os.environ
    events = start_events(env, rec.key, diag_logs(env)) if phase == "start" else end_events(env)
    rec.emit(events)
    return True
