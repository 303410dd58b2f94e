"""``scoper record -- CMD ...``: run a command and record its session.

Records the start, the credentials the environment holds (names, kinds, fingerprints), the
exec (with the environment's variable *names*), the installs and uninstalls in the Python
environments it touched (a before/after snapshot diff), the versions the installer printed,
and the end with the exit code, which is passed through. The command's output is copied to
ours as it comes; recording problems are said on stderr and never stop the command.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from scoper.names import canonical
from scoper.record.environments import Snapshot, diff, interpreters, snapshots
from scoper.record.events import env_credentials, env_names, now_ts
from scoper.record.recorder import SESSION_ENV, Recorder
from scoper.sources.audit.commands.installer_lines import installs_in_line
from scoper.sources.audit.commands.interpreters import python_start

CAPTURE_LIMIT = 4 * 1024 * 1024
NOT_FOUND = 127


def run(argv: Sequence[str], recorder: Recorder, env: Mapping[str, str] | None = None) -> int:
    """Run ``argv`` recorded; its exit code (127 when it cannot be started)."""
    env = dict(os.environ if env is None else env)
    pythons = interpreters(argv, env)
    before = {s.prefix: s for s in snapshots(pythons, env)}
    start = now_ts()
    recorder.emit(_start(recorder, argv, env, before, start))
    env[SESSION_ENV] = recorder.session or ""
    code, output = _execute(argv, env)
    end = now_ts()
    after = snapshots(pythons, env)
    events = _changes(before, after, output, end)
    events.append(
        {"ts": end, "event": "session_end", "session": recorder.session, "exit_code": code}
    )
    recorder.emit(events)
    return code


def _start(
    recorder: Recorder,
    argv: Sequence[str],
    env: Mapping[str, str],
    before: Mapping[str, Snapshot],
    ts: str,
) -> list[dict[str, Any]]:
    where = _environment(argv, env, before)
    session: dict[str, Any] = {"ts": ts, "event": "session_start", "session": recorder.session}
    session |= {"kind": "command", "actor": env.get("USER") or env.get("LOGNAME")}
    if where:
        session["environment"] = where
    run_event: dict[str, Any] = {"ts": ts, "event": "exec", "program": Path(argv[0]).name}
    run_event |= {"command": shlex.join(argv), "detail": {"env": env_names(env)}}
    if where:
        run_event["environment"] = where
    if python_start(list(argv), _which(argv[0], env)):
        run_event["interpreter"] = "python"
    creds = env_credentials(env, recorder.session, recorder.key, ts)
    return [{k: v for k, v in session.items() if v}, *creds, run_event]


def _environment(
    argv: Sequence[str], env: Mapping[str, str], before: Mapping[str, Snapshot]
) -> str | None:
    """The environment the command runs in: the prefix of the interpreter it names, else
    ``$VIRTUAL_ENV``."""
    program = _which(argv[0], env)
    if program:
        parent = str(Path(program).parent.parent)
        for prefix in before:
            if os.path.realpath(prefix) == os.path.realpath(parent):
                return prefix
    return env.get("VIRTUAL_ENV") or None


def _which(program: str, env: Mapping[str, str]) -> str | None:
    import shutil

    return program if "/" in program else shutil.which(program, path=env.get("PATH"))


def _changes(
    before: Mapping[str, Snapshot], after: Sequence[Snapshot], output: str, ts: str
) -> list[dict[str, Any]]:
    """Environment diffs, then the installs the output names that no diff saw."""
    events: list[dict[str, Any]] = []
    for snap in after:
        events.extend(diff(before.get(snap.prefix), snap, ts))
    seen = {(e["event"], canonical("PyPI", e["package"]), e.get("version")) for e in events}
    for line in output.splitlines():
        for found in installs_in_line(line):
            if not found.version or (found.action, found.name, found.version) in seen:
                continue
            seen.add((found.action, found.name, found.version))
            event = {"ts": ts, "event": found.action, "package": found.name}
            event |= {"version": found.version, "installer": found.installer}
            events.append({**event, "detail": {"seen_by": "installer output"}})
    return events


def _execute(argv: Sequence[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the command, copying its output through; (exit code, captured text)."""
    previous = _ignore_interrupts()  # the child gets ^C itself
    try:
        child = subprocess.Popen(
            list(argv), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except OSError as exc:
        _restore(previous)
        sys.stderr.write(f"scoper record: cannot run {argv[0]}: {exc.strerror or exc}\n")
        return NOT_FOUND, ""
    captured: list[bytes] = []
    copiers = [
        threading.Thread(target=_copy, args=(child.stdout, sys.stdout, captured), daemon=True),
        threading.Thread(target=_copy, args=(child.stderr, sys.stderr, captured), daemon=True),
    ]
    for thread in copiers:
        thread.start()
    try:
        code = child.wait()
        for thread in copiers:
            thread.join()
    finally:
        _restore(previous)
    code = 128 - code if code < 0 else code
    return code, b"".join(captured).decode("utf-8", "replace")


def _copy(source: IO[bytes] | None, target: IO[str], captured: list[bytes]) -> None:
    """Copy ``source`` to ``target`` line by line, keeping up to CAPTURE_LIMIT bytes."""
    if source is None:
        return
    size = 0
    sink = getattr(target, "buffer", None)
    for chunk in iter(source.readline, b""):
        try:
            if sink is not None:
                sink.write(chunk)
                sink.flush()
            else:
                target.write(chunk.decode("utf-8", "replace"))
        except (OSError, ValueError):
            pass
        if size < CAPTURE_LIMIT:
            captured.append(chunk)
            size += len(chunk)


def _ignore_interrupts() -> Any:
    """Ignore SIGINT while the child runs; None off the main thread (signals cannot be set)."""
    try:
        return signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        return None


def _restore(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)
