"""The Python environments a recorded command may touch, before and after it ran.

Each interpreter is asked for its ``sys.prefix`` and the distributions it sees, the
name/version pairs ``pip inspect`` reports (read with ``importlib.metadata`` in the
interpreter itself: it works in venvs without pip, such as uv's, and takes ~50 ms instead
of pip's ~1 s). The difference of two snapshots is install and uninstall events.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoper.names import canonical

_SNAPSHOT = (
    "import json,sys\n"
    "from importlib import metadata as m\n"
    "d=sorted({(x.metadata['Name'] or '',x.version) for x in m.distributions()})\n"
    "print(json.dumps({'prefix':sys.prefix,'dists':d}))\n"
)
TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one interpreter saw: its prefix and {canonical name: (name, version)}."""

    interpreter: str
    prefix: str
    dists: dict[str, tuple[str, str]] = field(default_factory=dict)


def interpreters(argv: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """Interpreters to snapshot: ``$VIRTUAL_ENV``'s, the ``python3`` on ``PATH`` and one the
    command names (``/tmp/v/bin/python -m pip``, ``.venv/bin/pip``), without repeats."""
    found: list[str] = []
    venv = env.get("VIRTUAL_ENV")
    if venv:
        found.append(str(Path(venv) / "bin" / "python"))
    for name in ("python3", "python"):
        path = shutil.which(name, path=env.get("PATH"))
        if path:
            found.append(path)
            break
    if argv:
        found.extend(_named(argv[0], env))
    unique: dict[str, str] = {}
    for path in found:
        if Path(path).exists():
            unique.setdefault(os.path.realpath(path) + "|" + str(Path(path).parent), path)
    return list(unique.values())


def _named(program: str, env: Mapping[str, str]) -> list[str]:
    path = shutil.which(program, path=env.get("PATH")) if "/" not in program else program
    if not path:
        return []
    base = Path(path).name
    if base.startswith("python"):
        return [path]
    sibling = Path(path).parent / "python"
    return [str(sibling)] if base.startswith(("pip", "uv")) and sibling.exists() else []


def snapshot(interpreter: str, env: Mapping[str, str]) -> Snapshot | None:
    """The interpreter's prefix and distributions; None when it cannot be asked."""
    try:
        done = subprocess.run(
            [interpreter, "-I", "-c", _SNAPSHOT],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=dict(env),
            check=False,
        )
        data = json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    if not isinstance(data, dict):
        return None
    dists = {canonical("PyPI", n): (n, v) for n, v in data.get("dists", []) if n}
    return Snapshot(interpreter, str(data.get("prefix")), dists)


def snapshots(paths: Sequence[str], env: Mapping[str, str]) -> list[Snapshot]:
    """Snapshots of the interpreters that answer, one per prefix."""
    seen: dict[str, Snapshot] = {}
    for path in paths:
        found = snapshot(path, env)
        if found is not None:
            seen.setdefault(found.prefix, found)
    return list(seen.values())


def diff(before: Snapshot | None, after: Snapshot, ts: str) -> list[dict[str, Any]]:
    """install (new or changed version) and uninstall events between two snapshots."""
    old = before.dists if before is not None else {}
    events: list[dict[str, Any]] = []
    for key, (name, version) in sorted(after.dists.items()):
        if old.get(key, (None, None))[1] != version:
            events.append(_event(ts, "install", name, version, after.prefix))
    for key, (name, version) in sorted(old.items()):
        if key not in after.dists:
            events.append(_event(ts, "uninstall", name, version, after.prefix))
    return events


def _event(ts: str, kind: str, name: str, version: str, prefix: str) -> dict[str, Any]:
    return {
        "ts": ts,
        "event": kind,
        "package": name,
        "version": version,
        "environment": prefix,
        "detail": {"seen_by": "environment diff"},
    }


def inventory(snap: Snapshot, ts: str) -> list[dict[str, Any]]:
    """Every distribution of a snapshot as an install event (a CI job's final inventory)."""
    return [
        {**_event(ts, "install", name, version, snap.prefix), "detail": {"seen_by": "inventory"}}
        for name, version in sorted(snap.dists.values())
    ]
